//! Signature boxes: role, a signing area, name and date lines; in a record, the captured pen
//! strokes drawn as vector polylines scaled into the area, with name, role and time.

use crate::fonts::Face;
use crate::format_time;
use crate::input::SignatureView;
use crate::layout::{Chunk, Draw, Flow, frame, segment};
use crate::style::{self, BODY, SMALL, TINY};

const HEIGHT: f32 = 76.0;
const PAD: f32 = 8.0;

/// A signature box for `role` at indent `x`; `signed` fills it in; `in_record` prints
/// "Not signed" in an empty box.
pub(crate) fn signature_box(
    flow: &mut Flow,
    x: f32,
    role: &str,
    dated: bool,
    signed: Option<&SignatureView>,
    in_record: bool,
) {
    let w = (flow.width - x).min(440.0);
    let stale = signed.is_some_and(|s| s.stale);
    let mut draws = heading(flow, x, w, role, stale);
    // Signing area on the left, name and date on the right.
    let area = Area {
        x: x + PAD,
        y: 20.0,
        w: w * 0.52,
        h: HEIGHT - 20.0 - 16.0,
    };
    draws.extend(signing_line(flow, area));
    let right = area.x + area.w + 14.0;
    draws.extend(name_and_date(flow, right, x + w - PAD, dated, signed));
    match signed {
        None if in_record => draws.push(flow.text(
            area.x + 4.0,
            area.y + area.h / 2.0 + 3.0,
            Face::Regular,
            SMALL,
            style::MUTED,
            "Not signed",
        )),
        None => {}
        Some(signed) => {
            let ink = if signed.stale {
                style::MUTED
            } else {
                style::INK
            };
            draws.extend(strokes(&signed.strokes, area, ink));
        }
    }
    flow.push(Chunk::new(HEIGHT, draws).space(6.0));
}

/// The box's frame (red when stale), its role, and "STALE — re-sign required" when stale.
fn heading(flow: &Flow, x: f32, w: f32, role: &str, stale: bool) -> Vec<Draw> {
    let mut draws = vec![frame(
        x,
        0.0,
        w,
        HEIGHT,
        if stale { style::FAIL } else { style::RULE },
        if stale { 1.4 } else { 0.8 },
    )];
    let role = if role.trim().is_empty() {
        "Signature"
    } else {
        role.trim()
    };
    let role_text = flow.truncate(Face::Bold, BODY, role, w * 0.55);
    draws.push(Draw::Text {
        x: x + PAD,
        y: 14.0,
        face: Face::Bold,
        size: BODY,
        colour: style::HEADING,
        text: role_text,
    });
    if stale {
        let label = "STALE — re-sign required";
        let lw = flow.measure(Face::Bold, SMALL, label);
        draws.push(flow.text(
            x + w - PAD - lw,
            14.0,
            Face::Bold,
            SMALL,
            style::FAIL,
            label,
        ));
    }
    draws
}

/// The line under the signing area and its "Signature" label.
fn signing_line(flow: &Flow, area: Area) -> Vec<Draw> {
    let sign_base = area.y + area.h + 2.0;
    vec![
        segment(
            (area.x, sign_base),
            (area.x + area.w, sign_base),
            0.6,
            style::RULE,
        ),
        flow.text(
            area.x,
            sign_base + 9.0,
            Face::Regular,
            TINY,
            style::MUTED,
            "Signature",
        ),
    ]
}

/// "Name" (and "Date" when dated or signed) lines between `right` and `right_end`, filled in
/// from the signature when there is one.
fn name_and_date(
    flow: &Flow,
    right: f32,
    right_end: f32,
    dated: bool,
    signed: Option<&SignatureView>,
) -> Vec<Draw> {
    let rows: &[(&str, f32)] = if dated || signed.is_some() {
        &[("Name", 38.0), ("Date", 62.0)]
    } else {
        &[("Name", 50.0)]
    };
    let mut draws = Vec::new();
    for (label, base) in rows {
        draws.push(flow.text(right, *base, Face::Regular, SMALL, style::MUTED, label));
        let lx = right + 28.0;
        draws.push(segment(
            (lx, base + 2.0),
            (right_end, base + 2.0),
            0.6,
            style::RULE,
        ));
        let value = signed.map(|s| {
            if *label == "Name" {
                s.name.clone()
            } else {
                format_time(s.signed_at)
            }
        });
        if let Some(value) = value {
            let text = flow.truncate(Face::Regular, BODY, &value, right_end - lx - 4.0);
            draws.push(Draw::Text {
                x: lx + 2.0,
                y: *base,
                face: Face::Regular,
                size: BODY,
                colour: style::INK,
                text,
            });
        }
    }
    draws
}

/// Where strokes are drawn, in chunk coordinates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The strokes (normalised 0..1, y down) fitted into `area`: their bounding box is scaled
/// uniformly to fill the area (keeping the aspect ratio) and centred. A one-point stroke is a dot.
pub(crate) fn strokes(strokes: &[Vec<(f32, f32)>], area: Area, colour: style::Colour) -> Vec<Draw> {
    let points = strokes
        .iter()
        .flatten()
        .filter(|(px, py)| px.is_finite() && py.is_finite());
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (px, py) in points {
        min_x = min_x.min(*px);
        min_y = min_y.min(*py);
        max_x = max_x.max(*px);
        max_y = max_y.max(*py);
    }
    if min_x > max_x {
        return Vec::new();
    }
    let bw = (max_x - min_x).max(1e-3);
    let bh = (max_y - min_y).max(1e-3);
    let inset = 2.0;
    let scale = ((area.w - 2.0 * inset) / bw).min((area.h - 2.0 * inset) / bh);
    let off_x = area.x + (area.w - bw * scale) / 2.0;
    let off_y = area.y + (area.h - bh * scale) / 2.0;
    let map = |(px, py): &(f32, f32)| (off_x + (px - min_x) * scale, off_y + (py - min_y) * scale);
    strokes
        .iter()
        .filter_map(|stroke| {
            let mut pts: Vec<(f32, f32)> = stroke
                .iter()
                .filter(|(px, py)| px.is_finite() && py.is_finite())
                .map(map)
                .collect();
            match pts.len() {
                0 => None,
                1 => {
                    let (px, py) = pts[0];
                    pts.push((px + 0.3, py));
                    Some(Draw::Line {
                        points: pts,
                        width: 1.2,
                        colour,
                    })
                }
                _ => Some(Draw::Line {
                    points: pts,
                    width: 1.2,
                    colour,
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strokes_are_scaled_into_the_signing_area() {
        let area = Area {
            x: 100.0,
            y: 10.0,
            w: 200.0,
            h: 40.0,
        };
        let drawn = strokes(
            &[vec![(0.1, 0.2), (0.9, 0.8)], vec![(0.5, 0.5)]],
            area,
            style::INK,
        );
        assert_eq!(drawn.len(), 2);
        for draw in &drawn {
            let Draw::Line { points, .. } = draw else {
                panic!("a polyline")
            };
            for (px, py) in points {
                assert!(*px >= area.x && *px <= area.x + area.w, "x {px} inside");
                assert!(*py >= area.y && *py <= area.y + area.h, "y {py} inside");
            }
        }
        assert!(strokes(&[], area, style::INK).is_empty());
    }
}
