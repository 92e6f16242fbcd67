//! IP fragments: every fragment is counted in the flow of its datagram. Only the first fragment
//! carries the ports, so later fragments that arrive before it are held back (as counters, not
//! bytes) until it does, within a bounded number of datagrams and a bounded time; those whose
//! first fragment never comes are flushed to an address-only flow.

use std::collections::VecDeque;
use std::net::IpAddr;

use rustc_hash::FxHashMap;

use super::Contribution;
use crate::capture::Timestamp;
use crate::dissect::{Fragment, Transport};

/// How long a datagram's fragments are tracked, in capture time (Linux keeps 30 s, Windows 60 s).
pub const FRAGMENT_TIMEOUT_SECS: u64 = 60;
/// How many datagrams are tracked at once; beyond it the oldest is given up.
pub const MAX_PENDING_DATAGRAMS: usize = 65_536;

/// Fragments of one waiting datagram kept apart, each at its own time (a datagram of 64 KiB
/// in fragments of 1,480 bytes has 45).
pub const MAX_HELD_PER_DATAGRAM: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct DatagramKey {
    src: IpAddr,
    dst: IpAddr,
    proto: u8,
    id: u32,
}

#[derive(Clone, Debug)]
enum Datagram {
    /// The first fragment was seen: later ones join the flow of its transport identity.
    Known { transport: Transport },
    /// Only later fragments so far; their counts wait for the first. Each is kept apart, so
    /// that it still counts at its own time (the timeline places every packet by its own).
    Waiting { held: Vec<Contribution> },
}

#[derive(Clone, Debug)]
struct Tracked {
    datagram: Datagram,
    started: Timestamp,
}

/// What to do with a fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentVerdict {
    /// Count it in the flow of `transport`; then add `held` (earlier-arrived later fragments
    /// of the same datagram, in arrival order; usually none) to the same flow and direction.
    Count {
        transport: Transport,
        held: Vec<Contribution>,
    },
    /// Held back until the datagram's first fragment arrives.
    Held,
}

/// Later fragments whose first fragment never arrived: they belong to an address-only flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphans {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub proto: u8,
    /// Each fragment, in arrival order.
    pub held: Vec<Contribution>,
}

#[derive(Debug, Default)]
pub struct Defragmenter {
    tracked: FxHashMap<DatagramKey, Tracked>,
    /// Datagrams in the order they were first seen, for expiry; entries whose datagram was
    /// replaced or removed are skipped when they come up.
    order: VecDeque<(DatagramKey, Timestamp)>,
    timeout_nanos: u64,
    capacity: usize,
}

impl Defragmenter {
    pub fn new() -> Self {
        Self::with_limits(FRAGMENT_TIMEOUT_SECS * 1_000_000_000, MAX_PENDING_DATAGRAMS)
    }

    pub fn with_limits(timeout_nanos: u64, capacity: usize) -> Self {
        Defragmenter {
            tracked: FxHashMap::default(),
            order: VecDeque::new(),
            timeout_nanos,
            capacity: capacity.max(1),
        }
    }

    /// Decide where fragment `fragment` of a datagram from `src` to `dst` is counted.
    /// `transport` is what the fragment itself carries (the ports, for a first fragment).
    /// Expired and evicted datagrams are appended to `orphans`.
    #[allow(clippy::too_many_arguments)]
    pub fn on_fragment(
        &mut self,
        src: IpAddr,
        dst: IpAddr,
        proto: u8,
        fragment: Fragment,
        transport: Transport,
        contribution: Contribution,
        orphans: &mut Vec<Orphans>,
    ) -> FragmentVerdict {
        self.expire(contribution.last, orphans);
        let key = DatagramKey {
            src,
            dst,
            proto,
            id: fragment.id,
        };
        if fragment.first {
            let known = Datagram::Known { transport };
            let previous = self.tracked.insert(
                key,
                Tracked {
                    datagram: known,
                    started: contribution.first,
                },
            );
            let held = match previous {
                Some(Tracked {
                    datagram: Datagram::Waiting { held },
                    started,
                }) => {
                    // Keep the datagram's original start time so that it expires on schedule.
                    if let Some(t) = self.tracked.get_mut(&key) {
                        t.started = started;
                    }
                    held
                }
                Some(_) => Vec::new(),
                None => {
                    self.remember(key, contribution.first, orphans);
                    Vec::new()
                }
            };
            return FragmentVerdict::Count { transport, held };
        }
        match self.tracked.get_mut(&key) {
            Some(Tracked {
                datagram: Datagram::Known { transport },
                ..
            }) => FragmentVerdict::Count {
                transport: *transport,
                held: Vec::new(),
            },
            Some(Tracked {
                datagram: Datagram::Waiting { held },
                ..
            }) => {
                // Bounded: a hostile capture may repeat one fragment without end. Past the
                // bound they count at the time of the last one kept.
                let full = held.len() >= MAX_HELD_PER_DATAGRAM;
                match held.last_mut() {
                    Some(last) if full => last.merge(&contribution),
                    _ => held.push(contribution),
                }
                FragmentVerdict::Held
            }
            None => {
                self.tracked.insert(
                    key,
                    Tracked {
                        datagram: Datagram::Waiting {
                            held: vec![contribution],
                        },
                        started: contribution.first,
                    },
                );
                self.remember(key, contribution.first, orphans);
                FragmentVerdict::Held
            }
        }
    }

    fn remember(&mut self, key: DatagramKey, started: Timestamp, orphans: &mut Vec<Orphans>) {
        self.order.push_back((key, started));
        while self.tracked.len() > self.capacity {
            if !self.give_up_oldest(orphans) {
                break;
            }
        }
    }

    /// Forget the oldest tracked datagram; returns false when there is none.
    fn give_up_oldest(&mut self, orphans: &mut Vec<Orphans>) -> bool {
        while let Some((key, started)) = self.order.pop_front() {
            match self.tracked.get(&key) {
                Some(t) if t.started == started => {
                    if let Some(Tracked {
                        datagram: Datagram::Waiting { held },
                        ..
                    }) = self.tracked.remove(&key)
                    {
                        orphans.push(Orphans {
                            src: key.src,
                            dst: key.dst,
                            proto: key.proto,
                            held,
                        });
                    }
                    return true;
                }
                _ => continue, // stale entry
            }
        }
        false
    }

    /// Give up on datagrams older than the timeout at capture time `now`.
    pub fn expire(&mut self, now: Timestamp, orphans: &mut Vec<Orphans>) {
        while let Some(&(_, started)) = self.order.front() {
            if now.nanos_since(started) <= self.timeout_nanos {
                break;
            }
            self.give_up_oldest(orphans);
        }
    }

    /// At the end of the capture: every datagram still waiting for its first fragment.
    pub fn drain(&mut self, orphans: &mut Vec<Orphans>) {
        while self.give_up_oldest(orphans) {}
        self.tracked.clear();
    }

    pub fn tracked(&self) -> usize {
        self.tracked.len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn at(secs: i64) -> Contribution {
        Contribution::packet(Timestamp::from_nanos(secs * 1_000_000_000), 100, 80, None)
    }

    fn frag(id: u32, first: bool) -> Fragment {
        Fragment {
            id,
            first,
            more: true,
        }
    }

    const SRC: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    const DST: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
    const PORTS: Transport = Transport::Ports {
        src: 1,
        dst: 2,
        tcp_flags: 0,
    };

    #[test]
    fn later_fragments_wait_for_the_first_in_any_order() {
        let mut d = Defragmenter::new();
        let mut orphans = Vec::new();
        assert_eq!(
            d.on_fragment(
                SRC,
                DST,
                17,
                frag(7, false),
                Transport::None,
                at(0),
                &mut orphans
            ),
            FragmentVerdict::Held
        );
        d.on_fragment(
            SRC,
            DST,
            17,
            frag(7, false),
            Transport::None,
            at(1),
            &mut orphans,
        );
        let verdict = d.on_fragment(SRC, DST, 17, frag(7, true), PORTS, at(2), &mut orphans);
        let FragmentVerdict::Count { transport, held } = verdict else {
            panic!("{verdict:?}");
        };
        assert_eq!(transport, PORTS);
        assert_eq!(held, [at(0), at(1)], "each at its own time");
        assert_eq!(
            d.on_fragment(
                SRC,
                DST,
                17,
                frag(7, false),
                Transport::None,
                at(3),
                &mut orphans
            ),
            FragmentVerdict::Count {
                transport: PORTS,
                held: Vec::new()
            }
        );
        assert!(orphans.is_empty());
    }

    #[test]
    fn orphans_are_flushed_by_time_and_by_capacity() {
        let mut d = Defragmenter::with_limits(10 * 1_000_000_000, 3);
        let mut orphans = Vec::new();
        for id in 0..5 {
            d.on_fragment(
                SRC,
                DST,
                17,
                frag(id, false),
                Transport::None,
                at(0),
                &mut orphans,
            );
        }
        assert_eq!(orphans.len(), 2, "capacity 3 gives up the two oldest");
        assert_eq!(d.tracked(), 3);
        d.expire(Timestamp::from_nanos(11 * 1_000_000_000), &mut orphans);
        assert_eq!(orphans.len(), 5);
        assert_eq!(d.tracked(), 0);
    }
}
