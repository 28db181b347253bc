//! `postgres` probes: log in with a credential, run the spec's query inside `BEGIN READ ONLY`,
//! compare the first column of the first row, roll back. Plain TCP: TLS is not built in yet.

use std::time::Instant;

use sqlx::postgres::{PgConnectOptions, PgRow};
use sqlx::{AssertSqlSafe, Column, ConnectOptions, Connection, Row, TypeInfo};

use crate::check::Scalar;
use crate::context::ProbeContext;
use crate::kinds::net;
use crate::redact::Redactor;
use crate::result::{EvidenceLine, Finding};
use crate::spec::{PostgresProbe, ProbeSpec};

pub(crate) async fn run(p: &PostgresProbe, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    let timeout = ProbeSpec::Postgres(p.clone()).timeout();
    let port = p.port.unwrap_or(5432);
    let secret = match ctx.secret(&p.credential, red).await {
        Ok(s) => s,
        Err(f) => return f,
    };
    let (user, password) = match &p.user {
        Some(u) => (u.clone(), secret.expose().to_string()),
        None => match secret.expose().split_once(':') {
            Some((u, pw)) => (u.to_string(), pw.to_string()),
            None => {
                return Finding::error(
                    "credential_unusable",
                    format!(
                        "set `user`, or store credential “{}” as user:password",
                        p.credential
                    ),
                );
            }
        },
    };
    let target = format!("{}:{port}/{}", net::bracket(&p.host), p.database);
    let query = p.query.clone().unwrap_or_else(|| "SELECT 1".to_string());
    let options = PgConnectOptions::new()
        .host(&p.host)
        .port(port)
        .database(&p.database)
        .username(&user)
        .password(&password)
        .application_name("greenlight-probe");
    let started = Instant::now();
    let work = async {
        let mut conn = options
            .connect()
            .await
            .map_err(|e| db_failure(&target, &e, true))?;
        let connect_time = started.elapsed();
        let value = {
            let mut tx = conn
                .begin_with("BEGIN READ ONLY")
                .await
                .map_err(|e| db_failure(&target, &e, false))?;
            let row = sqlx::query(AssertSqlSafe(query.clone()))
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_failure(&target, &e, false))?;
            let value = row.as_ref().map(first_column).transpose()?;
            let _ = tx.rollback().await;
            value
        };
        let _ = conn.close().await;
        Ok::<_, Finding>((value, connect_time))
    };
    let (value, connect_time) = match tokio::time::timeout(timeout, work).await {
        Ok(Ok(v)) => v,
        Ok(Err(f)) => return f,
        Err(_) => {
            return Finding::fail(
                "timeout",
                format!("{target}: no answer within {} ms", timeout.as_millis()),
                vec![],
            );
        }
    };
    let mut ev = vec![
        EvidenceLine::new("server", target.clone()),
        EvidenceLine::new("user", user.clone()),
        EvidenceLine::new("query", query.clone()),
        EvidenceLine::new("connect time", net::ms(connect_time)),
        EvidenceLine::new("total time", net::ms(started.elapsed())),
    ];
    let mut failures = Vec::new();
    match value {
        Some(v) => {
            ev.push(EvidenceLine::new("result", v.to_string()));
            if !p.expect.holds(&v) {
                failures.push(format!("result {v} (expected {})", p.expect.describe()));
            }
        }
        None => {
            ev.push(EvidenceLine::new("result", "no rows"));
            if p.expect.expected().is_some() {
                failures.push("the query returned no rows".into());
            }
        }
    }
    Finding::from_checks(&format!("PostgreSQL {target}"), failures, ev)
}

/// The first column as a scalar; NUMERIC and other types must be cast in the query.
fn first_column(row: &PgRow) -> Result<Scalar, Finding> {
    if row.columns().is_empty() {
        return Ok(Scalar::Text(String::new()));
    }
    let type_name = row.column(0).type_info().name().to_string();
    let value = match type_name.as_str() {
        "INT2" => row
            .try_get::<Option<i16>, _>(0)
            .map(|v| v.map(|v| Scalar::Int(v.into()))),
        "INT4" => row
            .try_get::<Option<i32>, _>(0)
            .map(|v| v.map(|v| Scalar::Int(v.into()))),
        "INT8" => row.try_get::<Option<i64>, _>(0).map(|v| v.map(Scalar::Int)),
        "FLOAT4" => row
            .try_get::<Option<f32>, _>(0)
            .map(|v| v.map(|v| Scalar::Float(v.into()))),
        "FLOAT8" => row
            .try_get::<Option<f64>, _>(0)
            .map(|v| v.map(Scalar::Float)),
        "BOOL" => row
            .try_get::<Option<bool>, _>(0)
            .map(|v| v.map(Scalar::Bool)),
        "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => row
            .try_get::<Option<String>, _>(0)
            .map(|v| v.map(Scalar::Text)),
        other => {
            return Err(Finding::error(
                "unsupported_result_type",
                format!("the query's first column is {other}: cast it (`::float8` or `::text`)"),
            ));
        }
    };
    value
        .map(|v| v.unwrap_or_else(|| Scalar::Text("NULL".into())))
        .map_err(|e| {
            Finding::error(
                "unsupported_result_type",
                format!("cannot read the result: {e}"),
            )
        })
}

fn db_failure(target: &str, e: &sqlx::Error, connecting: bool) -> Finding {
    let text = match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => crate::kinds::http::chain(other),
    };
    let code = match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "unreachable",
        sqlx::Error::Database(_) if connecting => "login_failed",
        sqlx::Error::Database(_) => "query_failed",
        sqlx::Error::PoolTimedOut => "timeout",
        _ if connecting => "unreachable",
        _ => "query_failed",
    };
    Finding::fail(code, format!("{target}: {text}"), vec![])
}
