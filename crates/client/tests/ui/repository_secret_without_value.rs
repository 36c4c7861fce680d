// A repository secret needs a value: `send` exists only after `value`.
use sealpost_client::github::{App, Client, Repo};

async fn run(gh: Client) {
    let _ = gh
        .repository_secret(App::Actions, Repo::name("octo", "hello"), "NPM_TOKEN")
        .send()
        .await;
}

fn main() {
    let _ = run;
}
