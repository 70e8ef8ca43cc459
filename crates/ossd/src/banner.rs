//! What `ossd serve` prints at start: where it listens and how to point the SDKs at it. The
//! secret is shown only when it was just created (or is the public `--dev` one); it is never
//! logged.

use std::net::SocketAddr;

use ossd_server::emulator::{
    DEV_USER_ACCESS_KEY_ID, DEV_USER_ACCESS_KEY_SECRET, DEV_USER_NAME, dev_role_arn,
};

use crate::config::Config;
use crate::identity::Loaded;

/// The environment variable the non-`--dev` snippets read the secret from (the one
/// `ossd admin` reads too).
const SECRET_ENV: &str = "OSSD_ACCESS_KEY_SECRET";

/// Prints the listening line (first line of stdout, machine-readable) and client settings.
pub(crate) fn print(
    config: &Config,
    addr: SocketAddr,
    s3_addr: Option<SocketAddr>,
    tls: bool,
    loaded: &Loaded,
) {
    let scheme = if tls { "https" } else { "http" };
    let id = &loaded.identity;
    let emu = &config.emulator;
    println!("ossd listening on {scheme}://{addr}");
    if let Some(s3) = s3_addr {
        println!("  S3 endpoint:    {scheme}://{s3} (S3-signed requests work on either address)");
    }
    if emu.memory {
        println!("  data directory: (in memory; nothing is written to disk)");
    } else {
        println!("  data directory: {}", config.data_dir.display());
    }
    println!("  region:         {}", config.region);
    println!("  account id:     {}", id.account_id);
    println!("  AccessKeyId:    {}", id.root_access_key_id);
    let secret = if emu.dev {
        id.root_access_key_secret.clone()
    } else if loaded.secret_from_env {
        "(from OSSD_ROOT_ACCESS_KEY_SECRET)".to_owned()
    } else if loaded.created {
        id.root_access_key_secret.clone()
    } else {
        format!("(see {}/identity.json)", config.data_dir.display())
    };
    println!("  AccessKeySecret: {secret}");
    if let Some(seed) = &emu.seed {
        println!(
            "  seed:           {} (POST /-/admin/reset restores it)",
            seed.display()
        );
    }
    println!();
    if emu.dev {
        print_dev(config, addr, scheme, loaded);
        return;
    }
    // Outside `--dev` the secret stays out of the snippets (they are copied into shells,
    // tickets and logs): they read it from the environment, and a line says where it is.
    println!(
        "ali-oss:  new OSS({{ endpoint: '{scheme}://{addr}', region: 'oss-{}', bucket: 'examplebucket',",
        config.region
    );
    println!(
        "            accessKeyId: '{}', accessKeySecret: process.env.{SECRET_ENV}, authorizationV4: true }})",
        id.root_access_key_id
    );
    println!(
        "oss2:     oss2.Bucket(oss2.AuthV4('{}', os.environ['{SECRET_ENV}']), '{scheme}://{addr}', 'examplebucket', region='{}')",
        id.root_access_key_id, config.region
    );
    let source = if loaded.secret_from_env {
        "the OSSD_ROOT_ACCESS_KEY_SECRET this server was started with".to_owned()
    } else if loaded.created {
        "the AccessKeySecret above (shown once)".to_owned()
    } else {
        format!(
            "root_access_key_secret in {}/identity.json",
            config.data_dir.display()
        )
    };
    println!("          with {SECRET_ENV} set to {source}");
    println!();
}

/// The `--dev` part: the public credentials and ready-to-paste client snippets.
fn print_dev(config: &Config, addr: SocketAddr, scheme: &str, loaded: &Loaded) {
    let id = &loaded.identity;
    let region = &config.region;
    let endpoint = format!("{scheme}://{addr}");
    let role = dev_role_arn(&id.account_id);
    let (uid, usecret) = (DEV_USER_ACCESS_KEY_ID, DEV_USER_ACCESS_KEY_SECRET);
    let bucket = config
        .emulator
        .default_bucket
        .as_deref()
        .unwrap_or(crate::config::DEFAULT_DEV_BUCKET);
    println!(
        "DEVELOPMENT MODE: these credentials are public (docs/emulator.md); never expose them."
    );
    println!("  RAM user:       {DEV_USER_NAME}  {uid} / {usecret}");
    println!("  role:           {role}");
    match &config.emulator.default_bucket {
        Some(b) => println!(
            "  bucket:         {b} (created at start and by a reset; --dev-bucket, --no-default-bucket)"
        ),
        None => println!("  bucket:         none (--no-default-bucket)"),
    }
    if config.emulator.clock_offset != 0 {
        println!("  clock offset:   +{} s", config.emulator.clock_offset);
    }
    println!("  clock control:  POST {endpoint}/-/admin/clock?advance=1h (signed by the root key)");
    println!();
    println!("ali-oss (root):");
    println!(
        "  new OSS({{ endpoint: '{endpoint}', region: 'oss-{region}', accessKeyId: '{}', accessKeySecret: '{}', authorizationV4: true, bucket: '{bucket}' }})",
        id.root_access_key_id, id.root_access_key_secret
    );
    println!("STS (@alicloud/pop-core), then ali-oss with refreshSTSToken:");
    println!(
        "  const sts = new RPCClient({{ endpoint: '{endpoint}', apiVersion: '2015-04-01', accessKeyId: '{uid}', accessKeySecret: '{usecret}' }});"
    );
    println!(
        "  const {{ Credentials: c }} = await sts.request('AssumeRole', {{ RoleArn: '{role}', RoleSessionName: 'dev', DurationSeconds: 3600 }}, {{ method: 'POST' }});"
    );
    println!(
        "  new OSS({{ endpoint: '{endpoint}', region: 'oss-{region}', accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken, refreshSTSToken: async () => ..., authorizationV4: true }})"
    );
    println!("oss2 (Python):");
    println!(
        "  oss2.Bucket(oss2.AuthV4('{}', '{}'), '{endpoint}', '{bucket}', region='{region}')",
        id.root_access_key_id, id.root_access_key_secret
    );
    println!("STS (Python, alibabacloud-sts20150401):");
    println!(
        "  Client(open_api_models.Config(access_key_id='{uid}', access_key_secret='{usecret}', endpoint='{addr}', protocol='{scheme}'))"
    );
    println!(
        "    .assume_role(AssumeRoleRequest(role_arn='{role}', role_session_name='dev'))  # then oss2.StsAuth(...)"
    );
    println!(
        "ossd admin (CLI): --endpoint {endpoint} --access-key-id {} --access-key-secret {}",
        id.root_access_key_id, id.root_access_key_secret
    );
    println!();
}
