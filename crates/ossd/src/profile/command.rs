//! `ossd config`: write and show the profile file (docs/cli.md#profiles).

use std::io::{BufRead, Write};

use anyhow::Context;
use clap::Subcommand;

use super::{DEFAULT_PROFILE, Profile, Profiles};

/// The subcommands of `ossd config`.
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCmd {
    /// Set a setting of a profile (creates the file with mode 0600, and the profile).
    Set {
        /// The profile to change.
        #[arg(long, env = "OSSD_PROFILE", default_value = DEFAULT_PROFILE)]
        profile: String,
        /// The setting: endpoint, access_key_id, access_key_secret, security_token, region,
        /// signature_version or ca_file.
        key: String,
        /// Its value; `-` reads one line from standard input (keeps a secret out of the shell
        /// history).
        value: String,
    },
    /// Remove a setting from a profile (the profile goes when it has none left).
    Unset {
        /// The profile to change.
        #[arg(long, env = "OSSD_PROFILE", default_value = DEFAULT_PROFILE)]
        profile: String,
        /// The setting to remove.
        key: String,
    },
    /// Show the profiles (or one) with their settings; secrets are shown as `****`.
    List {
        /// Only this profile.
        #[arg(long, env = "OSSD_PROFILE")]
        profile: Option<String>,
        /// One JSON object per profile and line.
        #[arg(long)]
        json: bool,
    },
    /// Print the path of the profile file.
    Path,
}

/// Runs `ossd config`.
pub(crate) fn run(cmd: ConfigCmd) -> anyhow::Result<()> {
    let path = super::path()?;
    match cmd {
        ConfigCmd::Set {
            profile,
            key,
            value,
        } => {
            let value = match value.as_str() {
                "-" => read_line()?,
                _ => value,
            };
            let mut all = super::read(&path)?;
            let entry = all.entry(profile).or_default();
            entry.set(&key, Some(value))?;
            super::write(&path, &all)?;
        }
        ConfigCmd::Unset { profile, key } => {
            let mut all = super::read(&path)?;
            let Some(entry) = all.get_mut(&profile) else {
                return Ok(());
            };
            entry.set(&key, None)?;
            if *entry == Profile::default() {
                all.remove(&profile);
            }
            super::write(&path, &all)?;
        }
        ConfigCmd::List { profile, json } => {
            let all = super::read(&path)?;
            let shown: Profiles = match profile {
                Some(name) => super::select(&path, &all, Some(&name))?
                    .map(|p| Profiles::from([(name, p)]))
                    .unwrap_or_default(),
                None => all,
            };
            print(&list(&shown, json)?)?;
        }
        ConfigCmd::Path => print(&format!("{}\n", path.display()))?,
    }
    Ok(())
}

/// The listing: `[name]` then `key = value` lines, or one JSON object per profile.
fn list(profiles: &Profiles, json: bool) -> anyhow::Result<String> {
    let mut out = String::new();
    for (name, profile) in profiles {
        let entries = profile.entries();
        if json {
            let mut object = serde_json::Map::new();
            object.insert("profile".to_owned(), name.clone().into());
            for (key, value) in entries {
                object.insert(key.to_owned(), value.into());
            }
            out.push_str(&serde_json::to_string(&object)?);
            out.push('\n');
        } else {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("[{name}]\n"));
            for (key, value) in entries {
                out.push_str(&format!("{key} = {value}\n"));
            }
        }
    }
    Ok(out)
}

/// One line of standard input, without its line break.
fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the value from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing() -> anyhow::Result<()> {
        let mut p = Profile::default();
        p.set("endpoint", Some("http://h:1".to_owned()))?;
        p.set("access_key_secret", Some("s3cret".to_owned()))?;
        let all = Profiles::from([("a".to_owned(), p.clone()), ("b".to_owned(), p)]);
        let text = list(&all, false)?;
        assert_eq!(
            text,
            "[a]\nendpoint = http://h:1\naccess_key_secret = ****\n\n\
             [b]\nendpoint = http://h:1\naccess_key_secret = ****\n"
        );
        let json = list(&all, true)?;
        assert!(json.lines().count() == 2 && !json.contains("s3cret"));
        Ok(())
    }
}
