//! The async runtime the clients run on. One thread is enough: uploads wait on the
//! network, and concurrency comes from having several requests in flight, not from
//! threads.

use std::future::Future;

use crate::error::Error;

/// Runs `future` to completion on a new single-threaded runtime.
pub(crate) fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(future)
}
