//! Which rows of a long scrolled list or table to draw: the ones in view, a few either side, and
//! any that must stay drawn wherever the user scrolled (the selected row, the keyboard's tab
//! stop); the rows in between are stood in for by spacers of their height.

use std::ops::Range;

/// Rows drawn beyond each edge of the view, so a fast scroll rarely shows a blank.
pub const OVERSCAN: usize = 12;

/// What to draw: runs of rows, each after a spacer of the height of the rows skipped before it,
/// then a last spacer.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub runs: Vec<(f64, Range<usize>)>,
    pub after: f64,
}

/// The top of each row and, last, the height of them all, from each row's height.
pub fn tops(heights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut y = 0.0;
    for h in heights {
        y += h;
        out.push(y);
    }
    out
}

/// The rows of a list whose row `i` spans `tops[i]..tops[i + 1]` to draw when its scroll
/// position is `scroll_top` and `viewport` pixels of it show, plus the `pinned` rows.
pub fn window(tops: &[f64], scroll_top: f64, viewport: f64, pinned: &[usize]) -> Window {
    let n = tops.len().saturating_sub(1);
    if n == 0 {
        return Window {
            runs: Vec::new(),
            after: 0.0,
        };
    }
    // The first row whose bottom is below the top of the view, and the first whose top is
    // below its bottom.
    let first = tops[1..]
        .partition_point(|&bottom| bottom <= scroll_top)
        .min(n - 1);
    let last = tops[..n].partition_point(|&top| top < scroll_top + viewport.max(1.0));
    let in_view = first.saturating_sub(OVERSCAN)..(last.max(first + 1) + OVERSCAN).min(n);
    let mut ranges: Vec<Range<usize>> = std::iter::once(in_view)
        .chain(pinned.iter().filter(|&&p| p < n).map(|&p| p..p + 1))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(m) if r.start <= m.end => m.end = m.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut at = 0;
    let runs = merged
        .into_iter()
        .map(|r| {
            let gap = tops[r.start] - tops[at];
            at = r.end;
            (gap, r)
        })
        .collect();
    Window {
        runs,
        after: tops[n] - tops[at],
    }
}

#[cfg(test)]
// One run of rows is a one-range vector.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    #[test]
    fn the_rows_in_view_and_the_overscan_are_drawn_and_the_rest_are_spacers() {
        let tops = tops(std::iter::repeat_n(10.0, 1_000));
        let w = window(&tops, 5_000.0, 100.0, &[]);
        assert_eq!(w.runs, [(4_880.0, 488..522)]);
        assert_eq!(w.after, 10_000.0 - 5_220.0);
        // Everything adds up to the list's height.
        let drawn: f64 = w
            .runs
            .iter()
            .map(|(gap, r)| gap + 10.0 * r.len() as f64)
            .sum();
        assert_eq!(drawn + w.after, 10_000.0);
    }

    #[test]
    fn pinned_rows_far_away_are_drawn_in_their_place() {
        let tops = tops(std::iter::repeat_n(10.0, 1_000));
        let w = window(&tops, 0.0, 100.0, &[900, 5]);
        assert_eq!(w.runs, [(0.0, 0..22), (8_780.0, 900..901)]);
        assert_eq!(w.after, 990.0);
    }

    #[test]
    fn rows_of_two_heights_and_the_ends_of_the_list() {
        // A heading of 30 then four rows of 70, repeated.
        let heights = (0..50).map(|i| if i % 5 == 0 { 30.0 } else { 70.0 });
        let tops = tops(heights);
        assert_eq!(tops.len(), 51);
        let end = window(&tops, 1e9, 400.0, &[]);
        assert_eq!(end.runs.last().unwrap().1.end, 50);
        assert_eq!(end.after, 0.0);
        let start = window(&tops, 0.0, 400.0, &[]);
        assert_eq!(start.runs[0], (0.0, 0..19));
        assert_eq!(window(&[0.0], 0.0, 400.0, &[3]).runs, []);
    }
}
