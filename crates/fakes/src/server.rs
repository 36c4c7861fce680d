//! Serving a fake's router on a local port: on the caller's tokio runtime
//! ([`Server::start`]) or on a runtime of its own in a background thread
//! ([`Server::spawn`], for synchronous tests and programs). Either way the server stops
//! when the [`Server`] is dropped.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc;
use std::thread::JoinHandle;

use axum::Router;
use axum::serve::ListenerExt as _;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::Error;

/// A running server; dropping it stops it.
#[derive(Debug)]
pub(crate) struct Server {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:0` and serves `router` on the current tokio runtime.
    pub(crate) async fn start(router: Router) -> Result<Server, Error> {
        let listener = bind().await?;
        let url = url_of(&listener)?;
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(serve(listener, router, stopped));
        Ok(Server {
            url,
            stop: Some(stop),
            thread: None,
        })
    }

    /// Starts a thread with a single-threaded tokio runtime that binds `127.0.0.1:0`
    /// and serves `router`; returns once the port is bound.
    pub(crate) fn spawn(router: Router) -> Result<Server, Error> {
        let (stop, stopped) = oneshot::channel();
        let (ready, bound) = mpsc::channel::<Result<String, Error>>();
        let thread = std::thread::Builder::new()
            .name("sealpost-fake".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        // The receiver waits for this message; if it is gone, nobody
                        // needs the answer.
                        let _ = ready.send(Err(Error::Runtime(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match bind().await.and_then(|l| url_of(&l).map(|u| (l, u))) {
                        Ok((listener, url)) => {
                            let _ = ready.send(Ok(url));
                            listener
                        }
                        Err(err) => {
                            let _ = ready.send(Err(err));
                            return;
                        }
                    };
                    serve(listener, router, stopped).await;
                });
                // Dropping the runtime here ends every connection task it still runs.
            })
            .map_err(Error::Runtime)?;
        let url = bound.recv().map_err(|_| Error::ThreadGone)??;
        Ok(Server {
            url,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // An error means the server already stopped.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread has already been reported on stderr.
            let _ = thread.join();
        }
    }
}

async fn bind() -> Result<TcpListener, Error> {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(Error::Bind)
}

fn url_of(listener: &TcpListener) -> Result<String, Error> {
    let address = listener.local_addr().map_err(Error::Bind)?;
    Ok(format!("http://{address}"))
}

/// Serves until `stopped` fires (or its sender is dropped). Not graceful: a fake has
/// nothing to finish, and waiting for a client's idle keep-alive connections could
/// block the drop of its owner.
///
/// Answers go out at once (`TCP_NODELAY`): small answers otherwise wait for the
/// client's delayed acknowledgement, some 40 ms a request.
async fn serve(listener: TcpListener, router: Router, stopped: oneshot::Receiver<()>) {
    let listener = listener.tap_io(|stream| {
        // Without it answers are only slower.
        let _ = stream.set_nodelay(true);
    });
    tokio::select! {
        result = axum::serve(listener, router) => {
            if let Err(err) = result {
                eprintln!("sealpost-fakes: the server stopped: {err}");
            }
        }
        _ = stopped => {}
    }
}
