//! Work spread over the machine's cores. Natively a check's files are parsed, compared and
//! searched for secrets on every core; WebAssembly has one thread and does them in turn.

/// How much input is worth spreading over the cores: threads cost more than reading or comparing
/// a few small files takes.
const PARALLEL_BYTES: usize = 64 * 1024;

/// [`on_cores`] when the work's input, `bytes` long, is large enough to be worth the threads;
/// else each item in turn.
pub(crate) fn on_cores_above<T: Send>(
    bytes: usize,
    count: usize,
    work: &(dyn Fn(usize) -> T + Sync),
) -> Vec<Option<T>> {
    if bytes > PARALLEL_BYTES {
        on_cores(count, work)
    } else {
        (0..count).map(|i| Some(work(i))).collect()
    }
}

/// `work(i)` for each `i` in `0..count`, in order. Natively, on up to every core: a worker takes
/// the next index when it is done with one. An item is `None` when the worker that took it
/// panicked, so a caller can say so rather than lose the whole check.
pub(crate) fn on_cores<T: Send>(
    count: usize,
    work: &(dyn Fn(usize) -> T + Sync),
) -> Vec<Option<T>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(count);
        if threads > 1 {
            return spread(count, threads, work);
        }
    }
    (0..count).map(|i| Some(work(i))).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn spread<T: Send>(
    count: usize,
    threads: usize,
    work: &(dyn Fn(usize) -> T + Sync),
) -> Vec<Option<T>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            break done;
                        }
                        done.push((i, work(i)));
                    }
                })
            })
            .collect();
        for worker in workers {
            for (i, t) in worker.join().unwrap_or_default() {
                results[i] = Some(t);
            }
        }
    });
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_comes_back_in_order() {
        let squares = on_cores(1000, &|i| i * i);
        assert_eq!(squares, (0..1000).map(|i| Some(i * i)).collect::<Vec<_>>());
        assert!(on_cores(0, &|i| i).is_empty());
    }

    #[test]
    fn a_panicking_item_is_none_and_the_others_are_kept_where_their_worker_went_on() {
        // One core runs the items in turn, where a panic is the caller's.
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return;
        }
        let got = on_cores(4, &|i| {
            assert!(i != 2, "item 2 fails");
            i
        });
        assert_eq!(got[2], None);
        assert_eq!(got.len(), 4);
        // The worker that took item 2 stopped there and gave back nothing: its earlier items are
        // lost with it. Whatever came back is the right item.
        for (i, item) in got.iter().enumerate() {
            assert!(item.is_none() || *item == Some(i));
        }
    }
}
