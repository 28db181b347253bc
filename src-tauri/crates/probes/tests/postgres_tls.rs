//! PostgreSQL probes over TLS against a real server started by the tests: `ssl = on` with a
//! certificate from a test CA (for localhost and 127.0.0.1) and a pg_hba.conf that accepts only
//! `hostssl`; and `prefer` against a plain server. Skipped (with the reason printed) when the
//! PostgreSQL binaries are missing.

mod support;

use greenlight_probes::{Outcome, ProbeResult, run_probe};
use support::pki::TestCa;
use support::servers::Postgres;
use support::{ctx, evidence, probe, skip};

const PG_PW: &str = "pg-TLS-Sëcret-7";

/// A TLS-only server and the CA that issued its certificate.
fn tls_server() -> Result<(TestCa, Postgres), String> {
    let ca = TestCa::new("PostgreSQL");
    let pg = Postgres::start_tls("greenlight", PG_PW, &ca.leaf(90))?;
    Ok((ca, pg))
}

fn spec(host: &str, port: u16, extra: &str) -> String {
    format!(
        "kind = \"postgres\"\nhost = \"{host}\"\nport = {port}\ndatabase = \"postgres\"\nuser = \"greenlight\"\ncredential = \"pg\"\ntimeout_ms = 5000\n{extra}"
    )
}

async fn run(spec: &str) -> ProbeResult {
    let r = run_probe(&probe(spec), &ctx(&[("pg", PG_PW)])).await;
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(!all.contains(PG_PW), "the password leaked: {all}");
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_full_with_the_ca_file_require_and_verify_ca_connect_encrypted_and_say_so() {
    let (ca, pg) = match tls_server() {
        Ok(s) => s,
        Err(reason) => return skip("postgres tls", &reason),
    };
    let ca_file = format!("ca_file = \"{}\"", ca.ca_file());

    let full = spec(
        "127.0.0.1",
        pg.port,
        &format!("sslmode = \"verify-full\"\n{ca_file}\nexpect = {{ equals = 1 }}"),
    );
    let r = run(&full).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let encryption = evidence(&r, "encryption").unwrap();
    assert!(encryption.starts_with("TLS: TLSv1."), "{encryption}");
    assert_eq!(evidence(&r, "sslmode"), Some("verify-full"));
    assert_eq!(
        evidence(&r, "server certificate"),
        Some("verified: chain and host name")
    );
    let by_name = full.replace("127.0.0.1", "localhost");
    assert_eq!(run(&by_name).await.outcome, Outcome::Pass);

    let r = run(&spec("127.0.0.1", pg.port, "sslmode = \"require\"")).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert!(evidence(&r, "encryption").unwrap().starts_with("TLS: "));
    assert_eq!(evidence(&r, "server certificate"), Some("not checked"));

    // The default, prefer, takes the TLS the server offers.
    let r = run(&spec("127.0.0.1", pg.port, "")).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "sslmode"), Some("prefer (default)"));
    assert!(evidence(&r, "encryption").unwrap().starts_with("TLS: "));

    // verify-ca checks the chain, not the name: 127.0.0.2 is not in the certificate.
    let r = run(&spec(
        "127.0.0.2",
        pg.port,
        &format!("sslmode = \"verify-ca\"\n{ca_file}"),
    ))
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_full_fails_on_an_unknown_ca_and_on_a_host_name_the_certificate_does_not_name() {
    let (ca, pg) = match tls_server() {
        Ok(s) => s,
        Err(reason) => return skip("postgres tls refusals", &reason),
    };

    let r = run(&spec("127.0.0.1", pg.port, "sslmode = \"verify-full\"")).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_untrusted"));
    assert!(r.summary.contains("unknown issuer"), "{}", r.summary);
    assert!(r.summary.contains("ca_file"), "{}", r.summary);

    let mismatch = spec(
        "127.0.0.2",
        pg.port,
        &format!("sslmode = \"verify-full\"\nca_file = \"{}\"", ca.ca_file()),
    );
    let r = run(&mismatch).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_untrusted"));
    assert!(
        r.summary.contains("not valid for 127.0.0.2"),
        "{}",
        r.summary
    );

    // libpq's rule: require with a root certificate verifies the chain.
    let other_ca = TestCa::new("someone else's");
    let r = run(&spec(
        "127.0.0.1",
        pg.port,
        &format!(
            "sslmode = \"require\"\nca_file = \"{}\"",
            other_ca.ca_file()
        ),
    ))
    .await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("unknown issuer"), "{}", r.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_disable_against_a_server_that_accepts_only_tls_is_refused_by_pg_hba() {
    let (_ca, pg) = match tls_server() {
        Ok(s) => s,
        Err(reason) => return skip("postgres tls disable", &reason),
    };
    let r = run(&spec("127.0.0.1", pg.port, "sslmode = \"disable\"")).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("login_failed"));
    assert!(r.summary.contains("no pg_hba.conf entry"), "{}", r.summary);
    assert!(r.summary.contains("only encrypted"), "{}", r.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefer_falls_back_to_plain_tcp_on_a_server_without_tls_and_require_fails_there() {
    let pg = match Postgres::start("greenlight", PG_PW) {
        Ok(p) => p,
        Err(reason) => return skip("postgres prefer", &reason),
    };
    for extra in ["", "sslmode = \"prefer\""] {
        let r = run(&spec("127.0.0.1", pg.port, extra)).await;
        assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
        let encryption = evidence(&r, "encryption").unwrap();
        assert!(encryption.starts_with("none"), "{encryption}");
        assert_eq!(evidence(&r, "server certificate"), Some("none (plain TCP)"));
    }
    let r = run(&spec("127.0.0.1", pg.port, "sslmode = \"require\"")).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("tls_handshake"));
    assert!(r.summary.contains("does not offer TLS"), "{}", r.summary);
}
