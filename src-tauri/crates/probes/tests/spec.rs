//! Probe specs: parsing every kind, errors with lines, round trips through `to_toml`, variables.

use std::collections::BTreeMap;

use greenlight_probes::spec::{AuthScheme, RecordType, SslMode};
use greenlight_probes::{
    CompareOp, ProbeError, ProbeSpec, Scalar, parse_spec, substitute, variables,
};

const HTTP: &str = r#"
kind = "http"
url = "{{api_base}}/health"
method = "GET"
timeout_ms = 3000
auth = { credential = "api-token", scheme = "bearer" }
expect = { status = 200, json = [{ path = "status", equals = "ok" }], max_latency_ms = 500 }
samples = 20   # optional: p50/p95/max latency and error count; assert p95
"#;

const ALL_KINDS: [&str; 8] = [
    HTTP,
    r#"kind = "tls"
host = "api.example.com"
min_days_valid = 30"#,
    r#"kind = "dns"
name = "api.example.com"
record_type = "CNAME"
values = ["lb.example.net"]
max_ttl = 60
resolver = "127.0.0.1:5353""#,
    r#"kind = "tcp"
host = "db"
port = 5432
timeout_ms = 1000"#,
    r#"kind = "redis"
host = "blue-redis"
credential = "redis-pw"
tls = true"#,
    r#"kind = "postgres"
host = "blue-db"
database = "production"
user = "monitor"
credential = "pg-monitor"
query = "SELECT extract(epoch from replay_lag)::float8 * 1000 FROM pg_stat_replication"
expect = { op = "<", value = 100 }"#,
    r#"kind = "prometheus"
url = "http://prometheus:9090"
query = "up{job='api'}"
expect = { equals = 1 }
all_targets_up = true"#,
    r#"kind = "command"
program = "kubectl"
args = ["get", "pods", "-n", "prod"]
env = { KUBECONFIG_TOKEN = { credential = "k8s" } }
expect = { exit_code = 0, stdout_contains = "Running" }"#,
];

#[test]
fn the_example_http_block_parses_with_every_field() {
    let ProbeSpec::Http(p) = parse_spec(HTTP).unwrap() else {
        panic!("not http")
    };
    assert_eq!(p.url, "{{api_base}}/health");
    assert_eq!(p.timeout_ms, Some(3000));
    assert_eq!(p.samples, Some(20));
    let auth = p.auth.unwrap();
    assert_eq!(
        (auth.credential.as_str(), auth.scheme),
        ("api-token", AuthScheme::Bearer)
    );
    assert_eq!(p.expect.status, Some(200));
    assert_eq!(p.expect.max_latency_ms, Some(500));
    assert_eq!(p.expect.json[0].equals, Some(Scalar::Text("ok".into())));
}

#[test]
fn every_kind_parses_and_round_trips_through_to_toml() {
    for source in ALL_KINDS {
        let spec = parse_spec(source).unwrap_or_else(|e| panic!("{e}\n{source}"));
        let again =
            parse_spec(&spec.to_toml()).unwrap_or_else(|e| panic!("{e}\n{}", spec.to_toml()));
        assert_eq!(spec, again, "{}", spec.to_toml());
    }
}

#[test]
fn kind_specific_fields_are_read() {
    let ProbeSpec::Dns(d) = parse_spec(ALL_KINDS[2]).unwrap() else {
        panic!()
    };
    assert_eq!(d.record_type, Some(RecordType::Cname));
    let ProbeSpec::Postgres(p) = parse_spec(ALL_KINDS[5]).unwrap() else {
        panic!()
    };
    assert_eq!(p.expect.op, Some(CompareOp::Lt));
    let spec = parse_spec(ALL_KINDS[7]).unwrap();
    assert_eq!(spec.credentials(), ["k8s"]);
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let err = parse_spec("kind = \"tcp\"\nhost = \"db\"\nport = = 5\n").unwrap_err();
    assert!(matches!(err, ProbeError::Toml { line: 3, .. }), "{err:?}");
    assert_eq!(err.code(), "probe_spec_syntax");
    assert!(err.to_string().contains("line 3"), "{err}");
}

#[test]
fn an_unknown_field_or_kind_is_an_error_with_a_line() {
    let err = parse_spec("kind = \"tcp\"\nhost = \"db\"\nport = 5\nbogus = 1\n").unwrap_err();
    let ProbeError::Toml { line, message } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("bogus"), "{message}");
    assert_eq!(*line, 4, "{err}");
    let err = parse_spec("kind = \"ftp\"\nhost = \"x\"").unwrap_err();
    assert!(err.to_string().contains("ftp"), "{err}");
}

#[test]
fn inconsistent_expectations_and_bad_urls_are_refused() {
    let both = "kind = \"postgres\"\nhost = \"h\"\ndatabase = \"d\"\ncredential = \"c\"\nexpect = { equals = 1, op = \"<\", value = 2 }";
    assert_eq!(parse_spec(both).unwrap_err().code(), "probe_spec_invalid");
    assert_eq!(
        parse_spec("kind = \"http\"\nurl = \"ftp://x\"")
            .unwrap_err()
            .code(),
        "probe_spec_invalid"
    );
    let no_query = "kind = \"prometheus\"\nurl = \"http://p:9090\"";
    assert_eq!(
        parse_spec(no_query).unwrap_err().code(),
        "probe_spec_invalid"
    );
}

#[test]
fn variables_are_substituted_and_a_missing_one_is_named() {
    let spec = parse_spec(HTTP).unwrap();
    assert_eq!(variables(&spec), ["api_base"]);
    let vars = BTreeMap::from([(
        "api_base".to_string(),
        "https://blue.example.com".to_string(),
    )]);
    let resolved = substitute(&spec, &vars).unwrap();
    let ProbeSpec::Http(p) = resolved.spec() else {
        panic!()
    };
    assert_eq!(p.url, "https://blue.example.com/health");
    let err = substitute(&spec, &BTreeMap::new()).unwrap_err();
    assert_eq!(
        err,
        ProbeError::MissingVariable {
            name: "api_base".into()
        }
    );
    assert_eq!(err.code(), "missing_variable");
}

#[test]
fn a_postgres_sslmode_takes_libpq_s_words_defaults_to_prefer_and_round_trips() {
    let base = "kind = \"postgres\"\nhost = \"db\"\ndatabase = \"d\"\ncredential = \"c\"";
    let ProbeSpec::Postgres(p) = parse_spec(base).unwrap() else {
        panic!()
    };
    assert_eq!((p.sslmode, p.sslmode()), (None, SslMode::Prefer));
    for (word, mode) in [
        ("disable", SslMode::Disable),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ] {
        let source = format!("{base}\nsslmode = \"{word}\"\nca_file = \"/etc/ca.pem\"");
        let source = if word == "disable" || word == "prefer" {
            source.replace("\nca_file = \"/etc/ca.pem\"", "")
        } else {
            source
        };
        let spec = parse_spec(&source).unwrap_or_else(|e| panic!("{e}\n{source}"));
        let ProbeSpec::Postgres(p) = &spec else {
            panic!()
        };
        assert_eq!(p.sslmode(), mode);
        assert_eq!(mode.as_str(), word);
        assert_eq!(parse_spec(&spec.to_toml()).unwrap(), spec);
    }
}

#[test]
fn a_bad_sslmode_or_a_ca_file_that_would_be_ignored_is_refused_naming_the_field() {
    let base = "kind = \"postgres\"\nhost = \"db\"\ndatabase = \"d\"\ncredential = \"c\"";
    let err = parse_spec(&format!("{base}\nsslmode = \"allow\"")).unwrap_err();
    assert_eq!(err.code(), "probe_spec_syntax");
    assert!(err.to_string().contains("sslmode"), "{err}");
    assert!(err.to_string().contains("verify-full"), "{err}");
    assert!(matches!(err, ProbeError::Toml { line: 5, .. }), "{err:?}");
    for mode in ["", "\nsslmode = \"prefer\"", "\nsslmode = \"disable\""] {
        let err = parse_spec(&format!("{base}{mode}\nca_file = \"/etc/ca.pem\"")).unwrap_err();
        let ProbeError::Invalid { field, message } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(field, "ca_file");
        assert!(message.contains("verify-full"), "{message}");
    }
    let err = parse_spec(&format!(
        "{base}\nsslmode = \"verify-full\"\nca_file = \" \""
    ))
    .unwrap_err();
    assert!(err.to_string().contains("ca_file"), "{err}");
}

#[test]
fn a_postgres_login_needs_a_credential_or_a_client_certificate_with_its_key_over_tls() {
    let base = "kind = \"postgres\"\nhost = \"db\"\ndatabase = \"d\"";
    let cert = "\nclient_cert_file = \"/home/rm/.postgresql/postgresql.crt\"";
    let key = "\nclient_key_file = \"/home/rm/.postgresql/postgresql.key\"";
    let refused = |source: String, expected_field: &str, says: &str| {
        let err = parse_spec(&source).unwrap_err();
        let ProbeError::Invalid { field, message } = &err else {
            panic!("{err:?}\n{source}")
        };
        assert_eq!(field, expected_field, "{source}");
        assert!(message.contains(says), "{message}");
    };
    refused(base.to_string(), "credential", "client_cert_file");
    refused(
        format!("{base}\nuser = \"rm\"{cert}"),
        "client_key_file",
        "client_cert_file",
    );
    refused(
        format!("{base}\nuser = \"rm\"{key}"),
        "client_cert_file",
        "client_key_file",
    );
    refused(format!("{base}{cert}{key}"), "user", "no credential");
    refused(
        format!("{base}\nuser = \"rm\"\nsslmode = \"disable\"{cert}{key}"),
        "client_cert_file",
        "TLS",
    );

    // Certificate alone, and certificate plus password, both parse and round-trip.
    for login in ["\nuser = \"rm\"", "\ncredential = \"pg\""] {
        let spec = parse_spec(&format!(
            "{base}{login}\nsslmode = \"verify-full\"{cert}{key}"
        ))
        .unwrap();
        let ProbeSpec::Postgres(p) = &spec else {
            panic!()
        };
        assert_eq!(
            p.client_key_file.as_deref(),
            Some("/home/rm/.postgresql/postgresql.key")
        );
        assert_eq!(parse_spec(&spec.to_toml()).unwrap(), spec);
        assert_eq!(
            spec.credentials(),
            p.credential.iter().cloned().collect::<Vec<_>>()
        );
    }
}
