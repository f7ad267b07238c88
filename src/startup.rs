//! Starting and stopping the server. `Server::bind` returns a bound
//! listener (port 0 in tests), used the same way by `main` and the tests.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::App;
use crate::jobs::worker;

pub struct Server {
    app: App,
    listener: TcpListener,
    run_jobs: bool,
}

impl Server {
    /// Binds the listening socket; a taken port is reported here, before serving.
    pub async fn bind(app: App, addr: SocketAddr, run_jobs: bool) -> anyhow::Result<Server> {
        let listener = TcpListener::bind(addr).await.map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::AddrInUse => "the address is already in use".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => e.to_string(),
            };
            anyhow::anyhow!("cannot listen on {addr}: {why}")
        })?;
        Ok(Server {
            app,
            listener,
            run_jobs,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then lets in-flight requests and
    /// the running job finish (up to `server.shutdown_grace_seconds`).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let Server {
            app,
            listener,
            run_jobs,
        } = self;
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = run_jobs.then(|| {
            tokio::spawn(worker::run(
                app.clone(),
                worker::worker_name(),
                stop_rx.clone(),
            ))
        });
        // Every instance that serves keeps its own search index current.
        let follow = Duration::from_millis(app.config.search.follow_interval_ms.unsigned_abs());
        let follower = tokio::spawn(crate::search::follower::run(
            app.clone(),
            follow,
            stop_rx.clone(),
        ));
        let router = crate::web::router(app.clone());
        let mut stopping = stop_rx.clone();
        let graceful = async move {
            let _ = stopping.wait_for(|s| *s).await;
        };
        let serve = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(graceful);
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            let _ = stop_tx.send(true);
        });
        let grace = Duration::from_secs(app.config.server.shutdown_grace_seconds.unsigned_abs());
        let mut deadline = stop_rx.clone();
        tokio::select! {
            result = serve => result?,
            _ = async { let _ = deadline.wait_for(|s| *s).await; tokio::time::sleep(grace).await } => {
                tracing::warn!("requests still running after the grace period were cut off");
            }
        }
        if let Some(worker) = worker {
            let _ = tokio::time::timeout(grace, worker).await;
        }
        let _ = tokio::time::timeout(grace, follower).await;
        app.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Sets up logging from the settings (stderr; text or JSON).
pub fn init_logging(config: &crate::config::Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = if config.log.format == "json" {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
