// A user secret needs a value to be stored; repositories alone change through
// `Secrets::existing`, whose name says the secret is already there.
use sealpost_client::github::Client;

async fn run(gh: Client) {
    let _ = gh
        .user_codespaces_secret("NPM_TOKEN")
        .repositories([1296269])
        .send()
        .await;
}

fn main() {
    let _ = run;
}
