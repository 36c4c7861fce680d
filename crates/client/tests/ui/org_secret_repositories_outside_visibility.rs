// Selected repositories of an organization secret live inside `Visibility::Selected`;
// there is no way to give them beside another visibility.
use sealpost_client::github::{App, Client, Visibility};

fn run(gh: Client) {
    let _ = gh
        .org_secret(App::Codespaces, "acme", "NPM_TOKEN")
        .visibility(Visibility::All)
        .repositories([1296269]);
}

fn main() {
    let _ = run;
}
