//! Redis, PostgreSQL and Prometheus probes against the real servers, started by the tests on
//! 127.0.0.1 at free ports and stopped at the end. A test is skipped (with the reason printed)
//! when its server binary is missing.

mod support;

use std::time::{Duration, Instant};

use greenlight_probes::{Outcome, run_probe};
use support::servers::{Postgres, Prometheus, Redis};
use support::{ctx, evidence, probe, skip};

const REDIS_PW: &str = "r3dis-Pässword";
const PG_PW: &str = "pg-Sëcret-42";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_ping_with_the_right_password_passes_and_with_a_wrong_one_fails_without_echoing_it() {
    let redis = match Redis::start(REDIS_PW) {
        Ok(r) => r,
        Err(reason) => return skip("redis", &reason),
    };
    let spec = format!(
        "kind = \"redis\"\nhost = \"127.0.0.1\"\nport = {}\ncredential = \"redis\"\ntimeout_ms = 3000",
        redis.port
    );
    let r = run_probe(&probe(&spec), &ctx(&[("redis", REDIS_PW)])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "PING"), Some("+PONG"));
    assert_eq!(evidence(&r, "AUTH"), Some("+OK"));

    let r = run_probe(&probe(&spec), &ctx(&[("redis", "wrong-pw-123")])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("AUTH refused"), "{}", r.summary);
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(
        !all.contains("wrong-pw-123") && !all.contains(REDIS_PW),
        "{all}"
    );

    let no_auth = format!(
        "kind = \"redis\"\nhost = \"127.0.0.1\"\nport = {}",
        redis.port
    );
    let r = run_probe(&probe(&no_auth), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("NOAUTH"), "{}", r.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_select_1_passes_and_a_wrong_password_fails_without_the_password_in_the_message() {
    let pg = match Postgres::start("greenlight", PG_PW) {
        Ok(p) => p,
        Err(reason) => return skip("postgres", &reason),
    };
    let base = format!(
        "kind = \"postgres\"\nhost = \"127.0.0.1\"\nport = {}\ndatabase = \"postgres\"\nuser = \"greenlight\"\ncredential = \"pg\"\ntimeout_ms = 5000",
        pg.port
    );
    let r = run_probe(
        &probe(&format!("{base}\nexpect = {{ equals = 1 }}")),
        &ctx(&[("pg", PG_PW)]),
    )
    .await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    assert_eq!(evidence(&r, "result"), Some("1"));

    let lag =
        format!("{base}\nquery = \"SELECT 42::float8\"\nexpect = {{ op = \"<\", value = 100 }}");
    let r = run_probe(&probe(&lag), &ctx(&[("pg", PG_PW)])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    let text = format!(
        "{base}\nquery = \"SELECT current_setting('server_version_num')\"\nexpect = {{ op = \">=\", value = 150000 }}"
    );
    let r = run_probe(&probe(&text), &ctx(&[("pg", PG_PW)])).await;
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");

    let r = run_probe(&probe(&base), &ctx(&[("pg", "not-the-password")])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert_eq!(r.code.as_deref(), Some("login_failed"));
    assert!(
        r.summary.contains("password authentication failed"),
        "{}",
        r.summary
    );
    let all = format!("{r:?}{}", serde_json::to_string(&r).unwrap());
    assert!(
        !all.contains("not-the-password") && !all.contains(PG_PW),
        "{all}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_probe_cannot_write_because_it_runs_read_only() {
    let pg = match Postgres::start("greenlight", PG_PW) {
        Ok(p) => p,
        Err(reason) => return skip("postgres read-only", &reason),
    };
    let spec = format!(
        "kind = \"postgres\"\nhost = \"127.0.0.1\"\nport = {}\ndatabase = \"postgres\"\nuser = \"greenlight\"\ncredential = \"pg\"\nquery = \"CREATE TABLE oops (id int)\"",
        pg.port
    );
    let r = run_probe(&probe(&spec), &ctx(&[("pg", PG_PW)])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    assert!(r.summary.contains("read-only transaction"), "{}", r.summary);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_reports_up_equals_1_within_seconds_and_all_targets_up() {
    let prom = match Prometheus::start() {
        Ok(p) => p,
        Err(reason) => return skip("prometheus", &reason),
    };
    let spec = format!(
        "kind = \"prometheus\"\nurl = \"http://127.0.0.1:{}\"\nquery = \"up\"\nexpect = {{ equals = 1 }}\nall_targets_up = true\ntimeout_ms = 2000",
        prom.port
    );
    let started = Instant::now();
    let mut last = None;
    while started.elapsed() < Duration::from_secs(20) {
        let r = run_probe(&probe(&spec), &ctx(&[])).await;
        if r.outcome == Outcome::Pass {
            last = Some(r);
            break;
        }
        last = Some(r);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let r = last.unwrap();
    assert_eq!(r.outcome, Outcome::Pass, "{r:#?}");
    println!("prometheus: up == 1 after {:?}", started.elapsed());
    assert_eq!(evidence(&r, "targets up"), Some("1"));
    assert!(started.elapsed() < Duration::from_secs(15));

    let high = spec
        .replace("equals = 1", "op = \">\", value = 1")
        .replace("\nall_targets_up = true", "");
    let r = run_probe(&probe(&high), &ctx(&[])).await;
    assert_eq!(r.outcome, Outcome::Fail, "{r:#?}");
    let bad = spec.replace("query = \"up\"", "query = \"up(\"");
    let r = run_probe(&probe(&bad), &ctx(&[])).await;
    assert_eq!(r.code.as_deref(), Some("prometheus_error"), "{r:#?}");
}
