// A client needs a token: `build` exists only after `token`.
use sealpost_client::github::Client;

fn main() {
    let _ = Client::builder().base_url("https://api.github.com").build();
}
