// A repository secret needs a value: `send` exists only after `value`.
use sealpost_client::github::{App, Client};

async fn run(gh: Client) {
    let _ = gh
        .repository_secret(App::Actions, "octo", "hello", "NPM_TOKEN")
        .send()
        .await;
}

fn main() {
    let _ = run;
}
