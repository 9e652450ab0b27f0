//! The configuration file (`--config FILE` or `KETNAP_CONFIG`): TOML whose keys are the long
//! flags' names (`listen = "0.0.0.0:8000"`, `database_url` or `database-url`). Precedence:
//! flags > environment > file > defaults. The file's values become flags for the settings that
//! neither a flag nor an environment variable gives, so clap parses every source the same way;
//! before that, every value of the file and of the environment is checked, and every error is
//! reported at once.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use clap::{Arg, ArgAction, Command};

/// The flag and variable that name the file.
pub const FLAG: &str = "--config";
pub const VARIABLE: &str = "KETNAP_CONFIG";

/// `args` (the command line, program name first) with the settings of the configuration file
/// added as flags where no flag or environment variable (read through `env`) gives them; or
/// every error found in the file and in the environment.
pub fn apply(
    args: Vec<OsString>,
    command: &Command,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<OsString>, Vec<String>> {
    let given = given_flags(&args);
    let position = subcommand_position(&args, command);
    let target = position.and_then(|at| args[at].to_str()).and_then(|name| command.find_subcommand(name));
    let accepted: Vec<&Arg> = target.map_or_else(
        || command.get_arguments().collect(),
        |sub| sub.get_arguments().chain(command.get_arguments().filter(|arg| arg.is_global_set())).collect(),
    );
    let mut errors = environment_errors(&accepted, &given, env);
    let path = flag_value(&args, FLAG).or_else(|| env(VARIABLE).filter(|value| !value.is_empty()));
    let mut added = Vec::new();
    if let Some(path) = path {
        match read(Path::new(&path)) {
            Ok(table) => {
                let known = known_settings(command);
                for (key, value) in &table {
                    let long = key.replace('_', "-");
                    let context = format!("{path}: `{key}`");
                    if !known.contains(&long) {
                        errors.push(format!("{context} is not a setting (`ketnap --help` lists them)"));
                        continue;
                    }
                    let Some(arg) = accepted.iter().find(|arg| arg.get_long() == Some(long.as_str())) else {
                        continue; // a setting of another command
                    };
                    if given.contains(&long)
                        || arg.get_env().and_then(OsStr::to_str).and_then(env).is_some_and(|v| !v.is_empty())
                    {
                        continue;
                    }
                    match flag(arg, &long, value) {
                        Ok(None) => {}
                        Ok(Some((flag, text))) => match check(arg, &text) {
                            Ok(()) => added.push(flag),
                            Err(err) => errors.push(format!("{context}: {err}")),
                        },
                        Err(err) => errors.push(format!("{context}: {err}")),
                    }
                }
            }
            Err(err) => errors.push(err),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = position.map_or(1, |at| at + 1).min(args.len());
    let mut args = args;
    args.splice(at..at, added);
    Ok(args)
}

fn read(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    text.parse::<toml::Table>().map_err(|err| format!("{} is not valid TOML: {err}", path.display()))
}

/// Every long flag of the command and its subcommands.
fn known_settings(command: &Command) -> Vec<String> {
    let mut known: Vec<String> = command.get_arguments().filter_map(Arg::get_long).map(str::to_owned).collect();
    for sub in command.get_subcommands() {
        known.extend(sub.get_arguments().filter_map(Arg::get_long).map(str::to_owned));
    }
    known.retain(|long| long != "config" && long != "help" && long != "version");
    known
}

/// The flag a file value becomes (None for a switch set to false), and the text to check.
fn flag(arg: &Arg, long: &str, value: &toml::Value) -> Result<Option<(OsString, String)>, String> {
    let switch = matches!(arg.get_action(), ArgAction::SetTrue);
    let text = match value {
        toml::Value::Boolean(on) if switch => {
            return Ok(on.then(|| OsString::from(format!("--{long}"))).map(|flag| (flag, String::new())));
        }
        _ if switch => return Err("must be true or false".into()),
        toml::Value::String(text) => text.clone(),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Array(items) if arg.get_value_delimiter().is_some() => {
            let texts: Option<Vec<&str>> = items.iter().map(toml::Value::as_str).collect();
            texts.ok_or("must be a list of strings")?.join(",")
        }
        _ => return Err("must be a string or a number".into()),
    };
    Ok(Some((OsString::from(format!("--{long}={text}")), text)))
}

/// Checks `text` with the setting's own parser, through clap on a command of that one setting.
fn check(arg: &Arg, text: &str) -> Result<(), String> {
    if matches!(arg.get_action(), ArgAction::SetTrue) {
        return Ok(());
    }
    let long = arg.get_long().unwrap_or_default();
    let probe = Command::new("ketnap").no_binary_name(true).arg(arg.clone());
    probe.try_get_matches_from([format!("--{long}={text}")]).map(drop).map_err(|err| {
        let message = err.to_string();
        let first = message.lines().next().unwrap_or_default();
        first.trim_start_matches("error: ").to_owned()
    })
}

/// The environment's values that the setting's parser refuses (for settings no flag gives).
fn environment_errors(accepted: &[&Arg], given: &[String], env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut errors = Vec::new();
    for arg in accepted {
        let (Some(long), Some(variable)) = (arg.get_long(), arg.get_env().and_then(OsStr::to_str)) else { continue };
        let Some(value) = env(variable).filter(|value| !value.is_empty()) else { continue };
        if given.iter().any(|flag| flag == long) || matches!(arg.get_action(), ArgAction::SetTrue) {
            continue;
        }
        if let Err(err) = check(arg, &value) {
            errors.push(format!("environment {variable}: {err}"));
        }
    }
    errors
}

/// The long flags on the command line (`--listen 1.2.3.4:80` and `--listen=…` both give `listen`).
fn given_flags(args: &[OsString]) -> Vec<String> {
    args.iter()
        .filter_map(|arg| arg.to_str())
        .filter_map(|arg| arg.strip_prefix("--"))
        .map(|flag| flag.split('=').next().unwrap_or(flag).to_owned())
        .collect()
}

fn flag_value(args: &[OsString], name: &str) -> Option<String> {
    let texts: Vec<&str> = args.iter().filter_map(|arg| arg.to_str()).collect();
    texts.iter().enumerate().find_map(|(at, arg)| match arg.strip_prefix(name) {
        Some("") => texts.get(at + 1).map(|value| (*value).to_owned()),
        Some(rest) => rest.strip_prefix('=').map(str::to_owned),
        None => None,
    })
}

/// Where the subcommand's name stands on the command line, if one is given.
fn subcommand_position(args: &[OsString], command: &Command) -> Option<usize> {
    args.iter().enumerate().skip(1).find_map(|(at, arg)| {
        let text = arg.to_str()?;
        command.find_subcommand(text).map(|_| at).filter(|_| !text.starts_with('-'))
    })
}
