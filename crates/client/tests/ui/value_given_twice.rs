// A value is given once: `value` does not exist once there is one.
use sealpost_client::github::{App, Client, Repo};

fn run(gh: Client) {
    let _ = gh
        .repository_secret(App::Actions, Repo::name("octo", "hello"), "NPM_TOKEN")
        .value("one")
        .value("two");
}

fn main() {
    let _ = run;
}
