//! `sealpost github delete NAME`.

use sealpost_client::github::Client;

use crate::error::Error;
use crate::runtime;
use crate::settings::DeleteSettings;
use crate::stdio;

pub(super) fn run(client: &Client, settings: &DeleteSettings) -> Result<(), Error> {
    let DeleteSettings { name, scope } = settings;
    let secrets = client.secrets(scope.clone());
    runtime::block_on(async { Ok::<_, Error>(secrets.delete(name).await?) })?;
    let place = secrets.describe();
    stdio::write_stdout(format!("Deleted secret {name} from {place}\n").as_bytes())
}
