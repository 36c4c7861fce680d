//! `sealpost github delete NAME`.

use sealpost_client::github::Client;

use super::scope;
use crate::error::Error;
use crate::runtime;
use crate::settings::DeleteSettings;
use crate::stdio;

pub(super) fn run(client: &Client, settings: &DeleteSettings) -> Result<(), Error> {
    let DeleteSettings { name, scope } = settings;
    runtime::block_on(scope::delete(client, scope, name))?;
    let place = scope::describe(client, scope);
    stdio::write_stdout(format!("Deleted secret {name} from {place}\n").as_bytes())
}
