// An organization secret needs a visibility.
use sealpost_client::github::{App, Client};

fn run(gh: Client) {
    let _ = gh.org_secret(App::Codespaces, "acme", "NPM_TOKEN").value("v");
}

fn main() {
    let _ = run;
}
