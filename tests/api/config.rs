//! The configuration file beside flags and environment: precedence flags > environment > file >
//! defaults, and every problem of the file, the environment and the settings listed at once
//! (`ketnap check-config`, the real binary).

use std::process::Command;

fn check_config(file: &str, env: &[(&str, &str)], flags: &[&str]) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ketnap.toml");
    std::fs::write(&path, file).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ketnap"));
    command.arg("check-config").arg("--config").arg(&path).args(flags);
    for variable in ["KETNAP_LISTEN", "KETNAP_METRICS_LISTEN", "KETNAP_RATE_LIMIT_PER_MINUTE", "KETNAP_MAX_QUERY_DEPTH"]
    {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (output.status.success(), text(output.stdout), text(output.stderr))
}

#[test]
fn flags_beat_the_environment_which_beats_the_file_which_beats_the_defaults() {
    let file = r#"
        listen = "0.0.0.0:9000"
        metrics_listen = "127.0.0.1:9464"
        rate_limit_per_minute = 7
        cors_origins = ["https://a.example", "https://b.example"]
        no_introspection = true
    "#;
    let (ok, out, err) = check_config(file, &[("KETNAP_LISTEN", "127.0.0.1:8100")], &["--rate-limit-per-minute", "5"]);
    assert!(ok, "{err}");
    assert!(out.contains("listen = 127.0.0.1:8100\n"), "the environment beats the file: {out}");
    assert!(out.contains("metrics_listen = 127.0.0.1:9464\n"), "the file beats the default: {out}");
    assert!(out.contains("rate_limit_per_minute = 5\n"), "the flag beats the file: {out}");
    assert!(out.contains("body_limit_bytes = 1048576\n"), "the default where nothing is given: {out}");
}

#[test]
fn every_problem_is_listed_at_once() {
    let file = r#"
        lisen = "0.0.0.0:9000"
        listen = "nowhere"
        rate_limit_per_minute = "many"
        no_introspection = 1
    "#;
    let (ok, _, err) = check_config(file, &[("KETNAP_MAX_QUERY_DEPTH", "deep")], &[]);
    assert!(!ok);
    assert!(err.contains("the configuration has 5 problem(s)"), "{err}");
    for problem in [
        "`lisen` is not a setting",
        "`listen`: invalid value 'nowhere'",
        "`rate_limit_per_minute`: invalid value 'many'",
        "`no_introspection`: must be true or false",
        "environment KETNAP_MAX_QUERY_DEPTH: invalid value 'deep'",
    ] {
        assert!(err.contains(problem), "{problem} is reported: {err}");
    }

    let (ok, _, err) = check_config("metrics_listen = \"127.0.0.1:8000\"\nread_cache_seconds = 0\n", &[], &[]);
    assert!(!ok);
    assert!(err.contains("the configuration has 2 problem(s)"), "{err}");
    assert!(
        err.contains("metrics-listen must differ from listen") && err.contains("read-cache-seconds must be above 0")
    );

    let (ok, _, err) = check_config("listen = [", &[], &[]);
    assert!(!ok && err.contains("is not valid TOML"), "{err}");
}
