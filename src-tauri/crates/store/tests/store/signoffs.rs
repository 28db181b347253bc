//! Signatures (bound to the audit head, stale after covered changes), gate decisions with
//! overrides, and retention of finished runs.

use chrono::Duration;
use greenlight_core::run::{ElementRef, ItemState, find_element, items_in_order};
use greenlight_core::{Block, Template};
use greenlight_store::{GateDecisionInput, RunSummary, SignatureInput};

use crate::{Fixture, at};

const GATED: &str = "# Gated release\n\n\
## Gate 1: Go/No-Go\n\n\
**Decision Authority:** Release Manager\n\n\
- [ ] Backups verified\n\
- [ ] Smoke tests green\n\n\
**Decision: [ ] GO [ ] NO-GO**\n\n\
## Sign-off\n\n\
- [ ] QA Lead: ____ Date: ____\n";

async fn gated_run(fixture: &Fixture) -> (RunSummary, Template) {
    let template = fixture.template(GATED).await;
    let run = fixture
        .store
        .start_run(&crate::new_run(&template.id), "ann", at(0))
        .await
        .unwrap();
    let model = fixture
        .store
        .template_detail(&template.id)
        .await
        .unwrap()
        .template;
    (run, model)
}

fn gate_id(template: &Template) -> String {
    template.sections[0]
        .blocks
        .iter()
        .find_map(|b| {
            if let Block::Gate(g) = b {
                Some(g.id.clone())
            } else {
                None
            }
        })
        .expect("the template has a gate")
}

fn slot_id(template: &Template) -> String {
    items_in_order(template)
        .iter()
        .find_map(|i| i.signature.as_ref().map(|s| s.id.clone()))
        .expect("a signatory item")
}

/// The id of the item that carries a signature line (`- [ ] QA Lead: ____ Date: ____`).
fn signatory_item_id(template: &Template) -> String {
    items_in_order(template)
        .into_iter()
        .find(|i| i.signature.is_some())
        .expect("a signatory item")
        .id
        .clone()
}

fn signature(slot: Option<String>, name: &str) -> SignatureInput {
    SignatureInput {
        slot_id: slot,
        role: None,
        name: name.into(),
        strokes: vec![
            vec![[0.1, 0.5], [0.3, 0.2], [0.6, 0.8]],
            vec![[0.7, 0.4], [0.9, 0.45]],
        ],
    }
}

#[tokio::test]
async fn a_signature_keeps_its_strokes_role_and_the_head_it_binds_to() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    // The signatory item already passed, so signing adds the signature alone.
    let signatory = signatory_item_id(&template);
    fixture
        .store
        .set_item_state(&run.id, &signatory, ItemState::Pass, None, "ann", at(4))
        .await
        .unwrap();
    let head_before = fixture.store.run_state(&run.id).await.unwrap().head_hash;
    let slot = slot_id(&template);
    let state = fixture
        .store
        .sign(
            &run.id,
            &signature(Some(slot.clone()), "Quinn QA"),
            "quinn",
            at(5),
        )
        .await
        .unwrap();
    let signed = &state.signatures[0];
    assert_eq!(signed.role, "QA Lead");
    assert_eq!(signed.name, "Quinn QA");
    assert_eq!(signed.slot_id.as_deref(), Some(slot.as_str()));
    assert_eq!(signed.bound_head, head_before);
    assert_eq!(signed.strokes.len(), 2);
    assert!(!signed.stale);
    assert!(matches!(
        find_element(&template, &slot),
        Some(ElementRef::Signature(_))
    ));
}

#[tokio::test]
async fn a_signature_goes_stale_when_an_item_changes_after_it_and_a_new_one_is_fresh() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    let store = &fixture.store;
    store
        .sign(
            &run.id,
            &signature(Some(slot_id(&template)), "Quinn"),
            "q",
            at(5),
        )
        .await
        .unwrap();
    store
        .add_note(
            &run.id,
            None,
            "notes do not change what was signed",
            "q",
            at(6),
        )
        .await
        .unwrap();
    assert!(!store.run_state(&run.id).await.unwrap().signatures[0].stale);
    let first = &items_in_order(&template)[0].id;
    let state = store
        .set_item_state(&run.id, first, ItemState::Pass, None, "q", at(7))
        .await
        .unwrap();
    assert!(state.signatures[0].stale, "an item changed after signing");
    let state = store
        .sign(
            &run.id,
            &signature(Some(slot_id(&template)), "Quinn"),
            "q",
            at(8),
        )
        .await
        .unwrap();
    assert!(!state.signatures[1].stale);
}

#[tokio::test]
async fn signing_needs_a_name_a_drawing_and_a_known_slot_or_role() {
    let fixture = Fixture::new().await;
    let (run, _) = gated_run(&fixture).await;
    let store = &fixture.store;
    let mut input = signature(None, "  ");
    assert_eq!(
        store
            .sign(&run.id, &input, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    input.name = "Sam".into();
    assert_eq!(
        store
            .sign(&run.id, &input, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "invalid_input",
        "no role"
    );
    input.role = Some("Security Lead".into());
    input.strokes = vec![vec![[0.5, 0.5]]];
    assert_eq!(
        store
            .sign(&run.id, &input, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "invalid_input",
        "no drawing"
    );
    input.strokes = vec![vec![[0.5, 0.5], [1.5, 0.5]]];
    assert_eq!(
        store
            .sign(&run.id, &input, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "invalid_input",
        "off canvas"
    );
    input.strokes = signature(None, "x").strokes;
    input.slot_id = Some("not-a-slot".into());
    assert_eq!(
        store
            .sign(&run.id, &input, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "rule_violation"
    );
    input.slot_id = None;
    let state = store.sign(&run.id, &input, "a", at(1)).await.unwrap();
    assert_eq!(state.signatures[0].role, "Security Lead");
}

#[tokio::test]
async fn go_over_pending_items_is_refused_without_a_justification_and_marked_as_an_override() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    let gate = gate_id(&template);
    let mut decision = GateDecisionInput {
        gate_id: gate.clone(),
        option: "GO".into(),
        reason: Some("window is open".into()),
        override_justification: None,
    };
    let error = fixture
        .store
        .decide_gate(&run.id, &decision, "rm", at(10))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "gate_needs_override");
    assert!(error.to_string().contains("2 pending"), "{error}");
    decision.override_justification = Some("CAB approved the risk".into());
    let state = fixture
        .store
        .decide_gate(&run.id, &decision, "rm", at(11))
        .await
        .unwrap();
    let recorded = state.gate_decisions.last().unwrap();
    assert_eq!(recorded.option, "GO");
    assert_eq!(
        recorded.override_justification.as_deref(),
        Some("CAB approved the risk")
    );
    let events = fixture.store.run_events(&run.id).await.unwrap();
    assert!(events.last().unwrap().payload.contains("\"override\":true"));
}

#[tokio::test]
async fn go_after_every_covered_item_passed_is_a_plain_decision() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    for item in items_in_order(&template).iter().take(2) {
        fixture
            .store
            .set_item_state(&run.id, &item.id, ItemState::Pass, None, "a", at(2))
            .await
            .unwrap();
    }
    let decision = GateDecisionInput {
        gate_id: gate_id(&template),
        option: "GO".into(),
        reason: None,
        override_justification: Some("ignored when not needed".into()),
    };
    let state = fixture
        .store
        .decide_gate(&run.id, &decision, "rm", at(3))
        .await
        .unwrap();
    assert_eq!(state.gate_decisions[0].override_justification, None);
}

#[tokio::test]
async fn a_finished_run_is_kept_a_year_and_cannot_be_deleted_before_then() {
    let fixture = Fixture::new().await;
    let (run, _) = gated_run(&fixture).await;
    let store = &fixture.store;
    assert_eq!(
        store
            .delete_run(&run.id, "a", at(1))
            .await
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    let state = store.complete_run(&run.id, "a", at(60)).await.unwrap();
    let until = state
        .retain_until
        .expect("a retention date is set on completion");
    assert_eq!(until, at(60) + Duration::days(365));
    assert_eq!(
        store
            .delete_run(&run.id, "a", at(61))
            .await
            .unwrap_err()
            .code(),
        "retention_not_expired"
    );
    let shorter = store
        .set_retention(&run.id, until - Duration::days(1), "a", at(62))
        .await;
    assert_eq!(shorter.unwrap_err().code(), "invalid_input");
    store
        .set_retention(&run.id, until + Duration::days(30), "a", at(62))
        .await
        .unwrap();
    let error = store
        .delete_run(&run.id, "a", until + Duration::days(1))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "retention_not_expired");
    store
        .delete_run(&run.id, "a", until + Duration::days(31))
        .await
        .unwrap();
    assert_eq!(
        store.run_summary(&run.id).await.unwrap_err().code(),
        "not_found"
    );
}

#[tokio::test]
async fn signing_an_items_signature_line_passes_the_item_and_the_signature_covers_it() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    let slot = slot_id(&template);
    let item = signatory_item_id(&template);
    let state = fixture
        .store
        .sign(&run.id, &signature(Some(slot), "Quinn QA"), "quinn", at(5))
        .await
        .unwrap();
    let entry = state.entries.iter().find(|e| e.element_id == item);
    assert_eq!(entry.and_then(|e| e.state), Some(ItemState::Pass));
    assert_eq!(entry.map(|e| e.actor.as_str()), Some("quinn"));
    assert!(
        !state.signatures[0].stale,
        "its own item's pass does not stale it"
    );
    let report = fixture.store.verify_run(&run.id).await.unwrap();
    assert!(report.intact, "{}", report.message);
}

#[tokio::test]
async fn signing_an_item_already_failed_keeps_the_failure() {
    let fixture = Fixture::new().await;
    let (run, template) = gated_run(&fixture).await;
    let item = signatory_item_id(&template);
    fixture
        .store
        .set_item_state(
            &run.id,
            &item,
            ItemState::Fail,
            Some("QA not done"),
            "ann",
            at(3),
        )
        .await
        .unwrap();
    let state = fixture
        .store
        .sign(
            &run.id,
            &signature(Some(slot_id(&template)), "Quinn QA"),
            "quinn",
            at(5),
        )
        .await
        .unwrap();
    let entry = state.entries.iter().find(|e| e.element_id == item);
    assert_eq!(entry.and_then(|e| e.state), Some(ItemState::Fail));
}
