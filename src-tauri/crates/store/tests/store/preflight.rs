//! A preflight recorded with a run is a `preflight_checked` event: replay reads it back, the
//! run still verifies (no projection disagrees), and a
//! finished run takes no new preflight.

use greenlight_store::replay::replay;
use greenlight_store::{PreflightLine, PreflightOutcome};

use crate::{Fixture, at, item_ids};

fn outcome(item_id: &str) -> PreflightOutcome {
    PreflightOutcome {
        environment: "production".into(),
        probes_checked: 3,
        contacted_targets: false,
        problems: vec![PreflightLine {
            kind: "missing_variable".into(),
            item_id: item_id.into(),
            line: 12,
            message: "the variable `api_base` is not defined in production".into(),
        }],
    }
}

#[tokio::test]
async fn a_recorded_preflight_replays_from_the_log_and_the_run_still_verifies() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let ids = item_ids(&template);
    let store = &fixture.store;
    store
        .record_preflight(&run.id, &outcome(&ids[0]), "ann", at(1))
        .await
        .unwrap();
    let events = store.run_events(&run.id).await.unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, "preflight_checked");
    let replayed = replay(&events);
    assert!(replayed.unreadable.is_empty(), "{:?}", replayed.unreadable);
    assert_eq!(replayed.preflights.len(), 1);
    assert_eq!(replayed.preflights[0].actor, "ann");
    assert_eq!(replayed.preflights[0].at, at(1));
    assert_eq!(replayed.preflights[0].outcome, outcome(&ids[0]));
    let report = store.verify_run(&run.id).await.unwrap();
    assert!(report.intact, "{}", report.message);
}

#[tokio::test]
async fn a_completed_run_takes_no_new_preflight() {
    let fixture = Fixture::new().await;
    let (run, template) = fixture.run().await;
    let ids = item_ids(&template);
    let store = &fixture.store;
    store.complete_run(&run.id, "ann", at(1)).await.unwrap();
    let err = store
        .record_preflight(&run.id, &outcome(&ids[0]), "ann", at(2))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "run_read_only");
}
