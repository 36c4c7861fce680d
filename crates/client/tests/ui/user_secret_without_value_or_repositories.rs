// A user secret needs a value, repositories, or both: with neither there is nothing
// to send.
use sealpost_client::github::Client;

async fn run(gh: Client) {
    let _ = gh.user_codespaces_secret("NPM_TOKEN").send().await;
}

fn main() {
    let _ = run;
}
