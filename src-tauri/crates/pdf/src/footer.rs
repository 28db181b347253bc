//! The footer on every page: template title (shortened to fit) and short hash (plus the run id on
//! records), the printed-at time, and "Page N of M".

use chrono::{DateTime, Utc};

use crate::fonts::Face;
use crate::format_time;
use crate::layout::{Draw, Flow, segment};
use crate::style::{self, Geometry, TINY};

/// Lays the flow's chunks out on pages and adds the footers (which need the page count).
pub(crate) fn paginate_with_footers(
    flow: &mut Flow,
    geometry: Geometry,
    title: &str,
    suffix: &str,
    printed_at: DateTime<Utc>,
) -> Vec<Vec<Draw>> {
    let chunks = std::mem::take(&mut flow.chunks);
    let mut pages = crate::layout::paginate(
        chunks,
        geometry.content_height(),
        (geometry.margin_x, geometry.margin_top),
    );
    add_footers(&mut pages, flow, geometry, title, suffix, printed_at);
    pages
}

/// Adds the footer to each page, once the page count is known.
fn add_footers(
    pages: &mut [Vec<Draw>],
    flow: &Flow,
    geometry: Geometry,
    title: &str,
    suffix: &str,
    printed_at: DateTime<Utc>,
) {
    let total = pages.len();
    let x0 = geometry.margin_x;
    let x1 = geometry.width - geometry.margin_x;
    let rule_y = geometry.height - geometry.margin_bottom + 22.0;
    let base = rule_y + 12.0;
    let printed = format!("Printed {}", format_time(printed_at));
    let printed_w = flow.measure(Face::Regular, TINY, &printed);
    // Room for the widest counter, so the printed-at time does not move from page to page.
    let widest = format!("Page {total} of {total}");
    let counter_room = flow.measure(Face::Bold, TINY, &widest) + 18.0;
    let printed_x = x1 - counter_room - printed_w;
    let suffix = format!(" · {suffix}");
    let suffix_w = flow.measure(Face::Regular, TINY, &suffix);
    let title = flow.truncate(
        Face::Regular,
        TINY,
        title,
        (printed_x - 14.0 - x0 - suffix_w).max(40.0),
    );
    // Never run into the printed-at time, however long the suffix is.
    let left = flow.truncate(
        Face::Regular,
        TINY,
        &format!("{title}{suffix}"),
        printed_x - 14.0 - x0,
    );
    for (index, page) in pages.iter_mut().enumerate() {
        let counter = format!("Page {} of {}", index + 1, total);
        let counter_w = flow.measure(Face::Bold, TINY, &counter);
        page.push(segment((x0, rule_y), (x1, rule_y), 0.5, style::LIGHT_RULE));
        page.push(Draw::Text {
            x: x0,
            y: base,
            face: Face::Regular,
            size: TINY,
            colour: style::MUTED,
            text: left.clone(),
        });
        page.push(flow.text(printed_x, base, Face::Regular, TINY, style::MUTED, &printed));
        page.push(flow.text(
            x1 - counter_w,
            base,
            Face::Bold,
            TINY,
            style::TEXT,
            &counter,
        ));
    }
}
