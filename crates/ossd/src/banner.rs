//! What `ossd serve` prints at start: where it listens and how to point the SDKs at it. The
//! secret is shown only when it was just created; it is never logged.

use std::net::SocketAddr;

use crate::config::Config;
use crate::identity::Loaded;

/// Prints the listening line (first line of stdout, machine-readable) and client settings.
pub fn print(config: &Config, addr: SocketAddr, tls: bool, loaded: &Loaded) {
    let scheme = if tls { "https" } else { "http" };
    let id = &loaded.identity;
    println!("ossd listening on {scheme}://{addr}");
    println!("  data directory: {}", config.data_dir.display());
    println!("  region:         {}", config.region);
    println!("  account id:     {}", id.account_id);
    println!("  AccessKeyId:    {}", id.root_access_key_id);
    let secret = if loaded.created {
        id.root_access_key_secret.clone()
    } else {
        format!("(see {}/identity.json)", config.data_dir.display())
    };
    println!("  AccessKeySecret: {secret}");
    println!();
    println!(
        "ali-oss:  new OSS({{ endpoint: '{scheme}://{addr}', region: 'oss-{}', bucket: 'examplebucket',",
        config.region
    );
    println!(
        "            accessKeyId: '{}', accessKeySecret: '<secret>', authorizationV4: true }})",
        id.root_access_key_id
    );
    println!(
        "oss2:     oss2.Bucket(oss2.AuthV4('{}', '<secret>'), '{scheme}://{addr}', 'examplebucket', region='{}')",
        id.root_access_key_id, config.region
    );
    println!();
}
