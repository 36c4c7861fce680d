// Rotation keeps access, and access alone changes through `Secrets::existing`: an
// organization `PUT` without a value (which GitHub refuses for a secret that does not
// exist yet) has no `send`.
use sealpost_client::github::{App, Client, Visibility};

async fn run(gh: Client) {
    let _ = gh
        .org_secret(App::Actions, "acme", "NPM_TOKEN")
        .visibility(Visibility::All)
        .send()
        .await;
}

fn main() {
    let _ = run;
}
