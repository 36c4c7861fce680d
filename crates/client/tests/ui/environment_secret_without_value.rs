// An environment secret needs a value: `send` exists only after `value`.
use sealpost_client::github::{Client, Repo};

async fn run(gh: Client) {
    let _ = gh
        .environment_secret(Repo::id(1296269), "production", "DB_URL")
        .send()
        .await;
}

fn main() {
    let _ = run;
}
