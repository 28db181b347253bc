//! Suggestions from shell snippets and item wording, on own fixtures and on the shared seeds.

use std::path::Path;

use greenlight_core::{Block, Item, Section, import_markdown};
use greenlight_probes::spec::SslMode;
use greenlight_probes::suggest::InlineCredentialKind;
use greenlight_probes::{ProbeSpec, Scalar, inline_credentials, parse_spec, suggest_probes};

fn items(markdown: &str) -> Vec<Item> {
    let template = import_markdown(markdown.as_bytes(), "fixture").unwrap();
    let mut out = Vec::new();
    fn walk(section: &Section, out: &mut Vec<Item>) {
        for block in &section.blocks {
            if let Block::Item(item) = block {
                push(item, out);
            }
        }
        for child in &section.children {
            walk(child, out);
        }
    }
    fn push(item: &Item, out: &mut Vec<Item>) {
        out.push(item.clone());
        for c in &item.children {
            push(c, out);
        }
    }
    for s in &template.sections {
        walk(s, &mut out);
    }
    out
}

const FIXTURE: &str = r#"# Fixture

## Checks

- [ ] Health check endpoint responds (HTTP 200)
  ```bash
  curl -s http://blue-app:3000/health | jq .
  # Expected: status = "ok", version = "2.1.0"
  ```
- [ ] RabbitMQ connectivity verified
  ```bash
  curl -u guest:Gu3stPw http://blue-rabbitmq:15672/api/overview
  # Expected: HTTP 200
  ```
- [ ] Redis connectivity verified
  ```bash
  redis-cli -h blue-redis -p 6380 -a R3disPw ping
  # Expected: PONG
  ```
- [ ] Database connectivity verified
  ```bash
  PGPASSWORD=PgPw99 psql -h blue-db -U app -d production -c "SELECT 1;"
  # Expected: "1"
  ```
- [ ] DSN check
  ```bash
  psql "postgres://report:DsnPw77@10.0.0.9:5433/metrics?sslmode=verify-full" -c "SELECT count(*) FROM jobs"
  ```
- [ ] Never probe writes
  ```bash
  curl -X POST https://events.example.com/v2/enqueue -d '{}'
  psql -h blue-db -c "DELETE FROM sessions"
  ```
- [ ] SSL/TLS certificates valid for > 30 days
- [ ] DNS TTL reduced to 60 seconds (if planning DNS switchover)
"#;

const SECRETS: [&str; 5] = ["Gu3stPw", "R3disPw", "PgPw99", "DsnPw77", "guest:Gu3stPw"];

#[test]
fn a_curl_health_snippet_becomes_an_http_probe_with_status_and_json_checks() {
    let all = items(FIXTURE);
    let s = suggest_probes(&all[0]);
    assert_eq!(s.len(), 1, "{s:#?}");
    let ProbeSpec::Http(h) = &s[0].spec else {
        panic!("{s:#?}")
    };
    assert_eq!(h.url, "http://blue-app:3000/health");
    assert_eq!(h.expect.status, Some(200));
    let json: Vec<_> = h
        .expect
        .json
        .iter()
        .map(|j| (j.path.as_str(), j.equals.clone()))
        .collect();
    assert_eq!(
        json,
        [
            ("status", Some(Scalar::Text("ok".into()))),
            ("version", Some(Scalar::Text("2.1.0".into())))
        ]
    );
    assert_eq!(s[0].source_line, all[0].code[0].line + 1);
    assert!(
        parse_spec(&s[0].spec.to_toml()).is_ok(),
        "a suggestion is a valid spec"
    );
}

#[test]
fn inline_credentials_are_flagged_with_a_name_and_never_echoed() {
    let all = items(FIXTURE);
    let rabbit = suggest_probes(&all[1]);
    let ProbeSpec::Http(h) = &rabbit[0].spec else {
        panic!()
    };
    let auth = h.auth.as_ref().unwrap();
    assert_eq!(
        (auth.username.as_deref(), auth.credential.as_str()),
        (Some("guest"), "blue-rabbitmq-basic-auth")
    );
    assert_eq!(
        rabbit[0].inline_credentials[0].kind,
        InlineCredentialKind::CurlUserPassword
    );
    assert_eq!(h.expect.status, Some(200));

    let redis = suggest_probes(&all[2]);
    let ProbeSpec::Redis(r) = &redis[0].spec else {
        panic!()
    };
    assert_eq!((r.host.as_str(), r.port), ("blue-redis", Some(6380)));
    assert_eq!(r.credential.as_deref(), Some("blue-redis-redis-password"));
    assert_eq!(
        redis[0].inline_credentials[0].kind,
        InlineCredentialKind::RedisPassword
    );

    let pg = suggest_probes(&all[3]);
    let ProbeSpec::Postgres(p) = &pg[0].spec else {
        panic!()
    };
    assert_eq!(
        (p.host.as_str(), p.database.as_str(), p.user.as_deref()),
        ("blue-db", "production", Some("app"))
    );
    assert_eq!(p.query.as_deref(), Some("SELECT 1"));
    assert_eq!(p.expect.equals, Some(Scalar::Int(1)));
    assert_eq!(
        pg[0].inline_credentials[0].kind,
        InlineCredentialKind::PgPasswordEnv
    );

    let dsn = suggest_probes(&all[4]);
    let ProbeSpec::Postgres(p) = &dsn[0].spec else {
        panic!("{dsn:#?}")
    };
    assert_eq!(
        (
            p.host.as_str(),
            p.port,
            p.database.as_str(),
            p.user.as_deref()
        ),
        ("10.0.0.9", Some(5433), "metrics", Some("report"))
    );
    assert_eq!(p.sslmode, Some(SslMode::VerifyFull));
    assert_eq!(
        dsn[0].inline_credentials[0].kind,
        InlineCredentialKind::UrlPassword
    );

    let everything: Vec<_> = all.iter().flat_map(suggest_probes).collect();
    let flagged: Vec<_> = all.iter().flat_map(inline_credentials).collect();
    assert_eq!(flagged.len(), 4, "{flagged:#?}");
    let text = format!(
        "{everything:?}{}{flagged:?}",
        serde_json::to_string(&everything).unwrap()
    );
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked into a suggestion");
    }
}

#[test]
fn requests_that_change_something_are_never_suggested() {
    let all = items(FIXTURE);
    assert!(
        suggest_probes(&all[5]).is_empty(),
        "{:#?}",
        suggest_probes(&all[5])
    );
}

#[test]
fn certificate_and_dns_ttl_wording_become_tls_and_dns_probes() {
    let all = items(FIXTURE);
    let tls = suggest_probes(&all[6]);
    let ProbeSpec::Tls(t) = &tls[0].spec else {
        panic!("{tls:#?}")
    };
    assert_eq!(t.min_days_valid, Some(30));
    assert_eq!(tls[0].source_line, all[6].line);
    let dns = suggest_probes(&all[7]);
    let ProbeSpec::Dns(d) = &dns[0].spec else {
        panic!("{dns:#?}")
    };
    assert_eq!(d.max_ttl, Some(60));
}

#[test]
fn libpq_tls_settings_in_a_psql_connection_string_carry_over_where_the_probe_uses_them() {
    let markdown = r#"# TLS to the database

- [ ] Replica reachable with our client certificate
  ```bash
  psql "host=db.internal dbname=orders user=deploy password=Conn1nfoPw sslmode=verify-full sslrootcert=/etc/pki/db-ca.pem sslcert=/home/rm/.pg/deploy.crt sslkey=/home/rm/.pg/deploy.key" -c "SELECT 1"
  ```
- [ ] Primary over TLS without verification
  ```bash
  psql "postgresql://deploy@db.internal/orders?sslmode=require&sslcert=/home/rm/.pg/deploy.crt" -c "SELECT 1"
  ```
- [ ] Legacy host, no TLS
  ```bash
  psql "host=legacy dbname=orders user=deploy sslmode=disable sslrootcert=/etc/pki/db-ca.pem sslcert=/a.crt sslkey=/a.key" -c "SELECT 1"
  ```
"#;
    let all = items(markdown);
    let postgres = |i: usize| {
        let found = suggest_probes(&all[i]);
        let Some(ProbeSpec::Postgres(p)) = found.first().map(|s| s.spec.clone()) else {
            panic!("{found:#?}")
        };
        // Whatever is kept must make a block the importer accepts.
        let spec = ProbeSpec::Postgres(p.clone());
        assert_eq!(parse_spec(&spec.to_toml()).unwrap(), spec);
        p
    };

    // The password written in the first snippet is flagged for the keychain, never copied.
    let flagged = inline_credentials(&all[0]);
    assert_eq!(flagged.len(), 1, "{flagged:#?}");
    assert_eq!(flagged[0].kind, InlineCredentialKind::ConninfoPassword);
    let suggested = suggest_probes(&all[0]);
    let ProbeSpec::Postgres(p) = &suggested[0].spec else {
        panic!()
    };
    assert_eq!(p.credential.as_ref(), Some(&flagged[0].suggested_name));
    let text = format!("{suggested:?}{flagged:?}");
    assert!(!text.contains("Conn1nfoPw"), "the password leaked: {text}");

    let full = postgres(0);
    assert_eq!(full.sslmode, Some(SslMode::VerifyFull));
    assert_eq!(full.ca_file.as_deref(), Some("/etc/pki/db-ca.pem"));
    assert_eq!(
        full.client_cert_file.as_deref(),
        Some("/home/rm/.pg/deploy.crt")
    );
    assert_eq!(
        full.client_key_file.as_deref(),
        Some("/home/rm/.pg/deploy.key")
    );

    // A certificate without its key is left out rather than half-copied.
    let require = postgres(1);
    assert_eq!(require.sslmode, Some(SslMode::Require));
    assert_eq!(
        (require.client_cert_file, require.client_key_file),
        (None, None)
    );

    // Without TLS neither a root nor a client certificate would be used.
    let plain = postgres(2);
    assert_eq!(plain.sslmode, Some(SslMode::Disable));
    assert_eq!(
        (plain.ca_file, plain.client_cert_file, plain.client_key_file),
        (None, None, None)
    );
}

#[test]
fn curl_and_redis_cli_client_certificates_carry_over_to_the_suggested_probe() {
    let markdown = r#"# Mutual TLS

- [ ] Internal API answers with our client certificate
  ```bash
  curl --cacert /etc/pki/internal-ca.pem --cert /home/rm/.tls/laptop.crt --key /home/rm/.tls/laptop.key https://api.internal/health
  # Expected: HTTP 200
  ```
- [ ] Cache answers over TLS
  ```bash
  redis-cli -h cache.internal --tls --cacert /etc/pki/internal-ca.pem --cert /home/rm/.tls/laptop.crt --key /home/rm/.tls/laptop.key ping
  # Expected: PONG
  ```
- [ ] Encrypted key (curl's cert:password form) is not carried over
  ```bash
  curl --cert /home/rm/.tls/laptop.crt:hunter2 --key /home/rm/.tls/laptop.key https://api.internal/health
  # Expected: HTTP 200
  ```
"#;
    let all = items(markdown);
    let spec = |i: usize| {
        let found = suggest_probes(&all[i]);
        let spec = found
            .first()
            .map(|s| s.spec.clone())
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_eq!(
            parse_spec(&spec.to_toml()).unwrap(),
            spec,
            "an importable block"
        );
        spec
    };
    let ProbeSpec::Http(http) = spec(0) else {
        panic!()
    };
    assert_eq!(http.ca_file.as_deref(), Some("/etc/pki/internal-ca.pem"));
    assert_eq!(
        http.client_cert_file.as_deref(),
        Some("/home/rm/.tls/laptop.crt")
    );
    assert_eq!(
        http.client_key_file.as_deref(),
        Some("/home/rm/.tls/laptop.key")
    );
    let ProbeSpec::Redis(redis) = spec(1) else {
        panic!()
    };
    assert_eq!(redis.tls, Some(true));
    assert_eq!(
        redis.client_cert_file.as_deref(),
        Some("/home/rm/.tls/laptop.crt")
    );
    assert_eq!(
        redis.client_key_file.as_deref(),
        Some("/home/rm/.tls/laptop.key")
    );
    let ProbeSpec::Http(encrypted) = spec(2) else {
        panic!()
    };
    assert_eq!(
        (encrypted.client_cert_file, encrypted.client_key_file),
        (None, None)
    );
    assert!(!format!("{:?}", suggest_probes(&all[2])).contains("hunter2"));
}

#[test]
fn the_seed_checklists_yield_the_expected_suggestions() {
    let dir = Path::new("/work/shared/seeds");
    if !dir.exists() {
        println!("SKIPPED seeds: /work/shared/seeds is absent");
        return;
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let Some(seed2) = read("002_8dfab29aebc9c7b2.txt") else {
        println!("SKIPPED seeds: 002_8dfab29aebc9c7b2.txt is absent");
        return;
    };
    let all = items(&seed2);
    let suggestions: Vec<_> = all
        .iter()
        .flat_map(|i| {
            suggest_probes(i)
                .into_iter()
                .map(move |s| (i.title.clone(), s))
        })
        .collect();
    let kinds = |k: &str| {
        suggestions
            .iter()
            .filter(|(_, s)| s.spec.kind() == k)
            .count()
    };
    let titles = |k: &str| {
        suggestions
            .iter()
            .filter(|(_, s)| s.spec.kind() == k)
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
    };
    println!(
        "seed 002: {} suggestions: {:?}",
        suggestions.len(),
        suggestions
            .iter()
            .map(|(t, s)| format!("{} <- {t}", s.spec.kind()))
            .collect::<Vec<_>>()
    );
    assert!(
        titles("tls")
            .iter()
            .any(|t| t.contains("SSL/TLS certificates valid"))
    );
    assert!(
        titles("dns")
            .iter()
            .any(|t| t.contains("DNS TTL reduced to 60"))
    );
    assert!(
        titles("redis")
            .iter()
            .any(|t| t.contains("Redis connectivity"))
    );
    assert!(
        titles("postgres")
            .iter()
            .any(|t| t.contains("Database connectivity"))
    );
    assert!(
        kinds("http") >= 3,
        "health checks and the RabbitMQ overview: {:?}",
        titles("http")
    );
    // The PagerDuty POST and the read-only-mode POSTs are never suggested.
    assert!(
        suggestions
            .iter()
            .all(|(_, s)| !format!("{:?}", s.spec).contains("pagerduty"))
    );
    let rabbit = suggestions
        .iter()
        .find(|(t, _)| t.contains("RabbitMQ connectivity"))
        .unwrap();
    assert_eq!(
        rabbit.1.inline_credentials.len(),
        1,
        "curl -u guest:guest is flagged"
    );
    assert!(!rabbit.1.reason.contains("guest:guest"));
    for (_, s) in &suggestions {
        parse_spec(&s.spec.to_toml()).unwrap_or_else(|e| panic!("{e}: {}", s.spec.to_toml()));
    }

    if let Some(seed3) = read("003_5544dd8b27cf1073.txt") {
        let all = items(&seed3);
        let suggestions: Vec<_> = all.iter().flat_map(suggest_probes).collect();
        println!(
            "seed 003: {} suggestions: {:?}",
            suggestions.len(),
            suggestions
                .iter()
                .map(|s| s.spec.kind())
                .collect::<Vec<_>>()
        );
        assert!(
            suggestions.iter().any(|s| s.spec.kind() == "http"),
            "curl -f …/health/live"
        );
        assert!(
            suggestions.iter().any(|s| s.spec.kind() == "prometheus"),
            "Prometheus scraping all targets"
        );
        for s in &suggestions {
            parse_spec(&s.spec.to_toml()).unwrap_or_else(|e| panic!("{e}: {}", s.spec.to_toml()));
        }
    }
}
