//! The runner: [`run_probe`] runs one resolved probe under its own timeout and redacts what it
//! reports; [`run_many`] runs many concurrently (bounded), reports each as it finishes, and lets
//! the caller cancel one probe or all of them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::context::ProbeContext;
use crate::kinds;
use crate::redact::Redactor;
use crate::result::{Finding, ProbeResult};
use crate::spec::ProbeSpec;
use crate::vars::ResolvedProbe;

/// Runs one probe. Never hangs: the whole run (credential lookups included) is bounded by the
/// probe's timeout (times `samples` for sampled HTTP probes).
pub async fn run_probe(probe: &ResolvedProbe, ctx: &ProbeContext) -> ProbeResult {
    let spec = probe.spec();
    let started_at = ctx.clock.now();
    let started = Instant::now();
    let mut red = Redactor::new();
    let limit = overall_timeout(spec);
    let finding = match tokio::time::timeout(limit, dispatch(spec, ctx, &mut red)).await {
        Ok(finding) => finding,
        Err(_) => Finding::fail(
            "timeout",
            format!(
                "{} probe: no answer within {} ms",
                spec.kind(),
                limit.as_millis()
            ),
            vec![],
        ),
    };
    let mut result = ProbeResult {
        kind: spec.kind().to_string(),
        outcome: finding.outcome,
        summary: finding.summary,
        code: finding.code,
        evidence: finding.evidence,
        started_at,
        duration_ms: started.elapsed().as_millis() as u64,
        response_time_ms: finding.response_time.map(|d| d.as_millis() as u64),
    };
    red.apply(&mut result);
    result
}

fn overall_timeout(spec: &ProbeSpec) -> Duration {
    let samples = match spec {
        ProbeSpec::Http(p) => p.samples.unwrap_or(1).max(1),
        _ => 1,
    };
    spec.timeout() * samples
}

async fn dispatch(spec: &ProbeSpec, ctx: &ProbeContext, red: &mut Redactor) -> Finding {
    match spec {
        ProbeSpec::Http(p) => kinds::http::run(p, ctx, red).await,
        ProbeSpec::Tls(p) => kinds::tls::run(p, ctx).await,
        ProbeSpec::Dns(p) => kinds::dns::run(p).await,
        ProbeSpec::Tcp(p) => kinds::tcp::run(p).await,
        ProbeSpec::Redis(p) => kinds::redis::run(p, ctx, red).await,
        ProbeSpec::Postgres(p) => kinds::postgres::run(p, ctx, red).await,
        ProbeSpec::Prometheus(p) => kinds::prometheus::run(p, ctx, red).await,
        ProbeSpec::Command(p) => kinds::command::run(p, ctx, red).await,
    }
}

/// Pause between the concurrent probes and the latency probes that run alone after them.
const SETTLE: Duration = Duration::from_millis(100);

/// Cancels the probes of one [`run_many`] call, all of them or one by index.
#[derive(Default)]
pub struct RunControl {
    all: CancellationToken,
    each: Mutex<HashMap<usize, CancellationToken>>,
}

impl RunControl {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops every probe still waiting or running; they report `cancelled`.
    pub fn cancel_all(&self) {
        self.all.cancel();
    }

    /// Stops the probe at `index` (waiting or running).
    pub fn cancel(&self, index: usize) {
        self.token(index).cancel();
    }

    fn token(&self, index: usize) -> CancellationToken {
        let mut each = self.each.lock().unwrap_or_else(|p| p.into_inner());
        each.entry(index)
            .or_insert_with(|| self.all.child_token())
            .clone()
    }
}

/// Runs `probes` with at most `concurrency` at once. `on_result(index, &result)` is called as each
/// finishes (in finishing order); the returned results are in input order.
///
/// Probes that assert a latency ([`ProbeSpec::measures_latency`]) run after all the others have
/// finished, one at a time, so that no other probe's connections, handshakes or CPU work inflate
/// the time they measure: a section run then reports the same latency as a lone run. Time spent
/// waiting for a turn is never part of a probe's duration (its clock starts when it starts).
pub async fn run_many<F>(
    probes: Vec<ResolvedProbe>,
    ctx: Arc<ProbeContext>,
    concurrency: usize,
    control: Arc<RunControl>,
    on_result: F,
) -> Vec<ProbeResult>
where
    F: Fn(usize, &ProbeResult) + Send + Sync + 'static,
{
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let exclusive = Arc::new(Semaphore::new(1));
    let on_result = Arc::new(on_result);
    let count = probes.len();
    let (alone, shared): (Vec<_>, Vec<_>) = probes
        .into_iter()
        .enumerate()
        .partition(|(_, p)| p.spec().measures_latency());
    let mut results: Vec<Option<ProbeResult>> = vec![None; count];
    let settle = !shared.is_empty() && !alone.is_empty();
    for (turn, (batch, permits)) in [(shared, permits), (alone, exclusive)]
        .into_iter()
        .enumerate()
    {
        if settle && turn == 1 {
            // The others' connections and clients are still being torn down for a moment
            // after their results are in; let that finish before anything is timed.
            tokio::time::sleep(SETTLE).await;
        }
        let mut set = JoinSet::new();
        for (index, probe) in batch {
            let (permits, ctx, token, on_result) = (
                permits.clone(),
                ctx.clone(),
                control.token(index),
                on_result.clone(),
            );
            set.spawn(async move {
                let result = tokio::select! {
                    biased;
                    _ = token.cancelled() => cancelled(&probe, &ctx),
                    result = async {
                        let _permit = permits.acquire_owned().await;
                        run_probe(&probe, &ctx).await
                    } => result,
                };
                on_result(index, &result);
                (index, result)
            });
        }
        while let Some(joined) = set.join_next().await {
            if let Ok((index, result)) = joined {
                results[index] = Some(result);
            }
        }
    }
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| ProbeResult {
                kind: "unknown".into(),
                outcome: crate::Outcome::Error,
                summary: "the probe task stopped unexpectedly".into(),
                code: Some("internal".into()),
                evidence: vec![],
                started_at: ctx.clock.now(),
                duration_ms: 0,
                response_time_ms: None,
            })
        })
        .collect()
}

fn cancelled(probe: &ResolvedProbe, ctx: &ProbeContext) -> ProbeResult {
    ProbeResult {
        kind: probe.spec().kind().to_string(),
        outcome: crate::Outcome::Error,
        summary: "cancelled before it finished".into(),
        code: Some("cancelled".into()),
        evidence: vec![],
        started_at: ctx.clock.now(),
        duration_ms: 0,
        response_time_ms: None,
    }
}
