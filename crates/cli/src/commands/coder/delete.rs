//! `coder secrets delete NAME`.

use sealpost_client::coder::UserSecrets;

use crate::error::Error;
use crate::runtime;
use crate::stdio;

pub(super) fn run(secrets: &UserSecrets, name: &str) -> Result<(), Error> {
    runtime::block_on(async { Ok(secrets.delete(name).await?) })?;
    let line = format!("Deleted secret {name} from {}\n", secrets.describe());
    stdio::write_stdout(line.as_bytes())
}
