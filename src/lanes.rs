//! Work over a slice split across threads, the results in slice order:
//! what one large workbook uses of a second core (its sheets are built
//! apart). A batch already keeps every core busy with one file each, so a
//! caller splits only work that is large (see [`lanes_for`]).

use std::num::NonZeroUsize;

/// How many lanes work of `size` units gets: one below `threshold`
/// (a thread costs more than it saves there), else one per core.
pub fn lanes_for(size: usize, threshold: usize) -> usize {
    if size < threshold {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// `build` of every item, in item order, on `lanes` threads (item `i` on
/// lane `i % lanes`, so items of every size spread evenly). One lane runs
/// on the calling thread. The first error in item order is returned; a
/// panic in a lane is resumed on the caller.
///
/// # Errors
/// The first error `build` returns, in item order.
pub fn in_lanes<T, R, E>(
    items: &[T],
    lanes: usize,
    build: &(dyn Fn(&T) -> Result<R, E> + Sync),
) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let lanes = lanes.clamp(1, items.len().max(1));
    if lanes == 1 {
        return items.iter().map(build).collect();
    }
    let done: Vec<Vec<Result<R, E>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..lanes)
            .map(|k| scope.spawn(move || items.iter().skip(k).step_by(lanes).map(build).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut lanes_out: Vec<_> = done.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::with_capacity(items.len());
    for i in 0..items.len() {
        if let Some(r) = lanes_out.get_mut(i % lanes).and_then(Iterator::next) {
            out.push(r?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Results come back in item order whatever the number of lanes, and
    /// the first error in item order is the one returned.
    #[test]
    fn results_keep_item_order_and_the_first_error_wins() {
        let items: Vec<u32> = (0..23).collect();
        let square = |x: &u32| -> Result<u32, u32> { Ok(x * x) };
        let want: Vec<u32> = items.iter().map(|x| x * x).collect();
        for lanes in [0, 1, 2, 3, 7, 23, 40] {
            assert_eq!(
                in_lanes(&items, lanes, &square),
                Ok(want.clone()),
                "{lanes}"
            );
        }
        let fail = |x: &u32| -> Result<u32, u32> {
            if x % 5 == 4 {
                Err(*x)
            } else {
                Ok(*x)
            }
        };
        for lanes in [1, 2, 3] {
            assert_eq!(in_lanes(&items, lanes, &fail), Err(4), "{lanes}");
        }
        assert_eq!(in_lanes(&[] as &[u32], 2, &square), Ok(Vec::new()));
        assert_eq!(lanes_for(10, 11), 1);
        assert!(lanes_for(11, 11) >= 1);
    }
}
