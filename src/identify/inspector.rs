//! Identification of many flows at once: each flow's [`App`] in a slot of its own, and the
//! names DNS answers give to addresses. [`Identifier`](super::Identifier) runs an inspector on
//! the flow table's thread or on a worker thread of its own.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::{App, NameSource, Payload};

/// Addresses named by DNS answers that are remembered; past it the memory starts over.
const MAX_DNS_NAMES: usize = 1 << 20;

/// A flow's place in the table of identifications, given with its first payload and taken
/// back when its findings are asked for: flows index their identification directly (no hash
/// lookup per payload), and places are reused while the memory they touch is still cached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot(u32);

impl Slot {
    /// No place yet: no payload was inspected.
    pub const NONE: Slot = Slot(u32::MAX);

    pub(super) fn index(self) -> usize {
        self.0 as usize
    }
}

/// Hands out slots, the one given back last first.
#[derive(Debug, Default)]
pub(super) struct Slots {
    free: Vec<u32>,
    next: u32,
}

impl Slots {
    pub(super) fn take(&mut self) -> Slot {
        Slot(self.free.pop().unwrap_or_else(|| {
            self.next += 1;
            self.next - 1
        }))
    }

    pub(super) fn give_back(&mut self, slot: Slot) {
        if slot != Slot::NONE {
            self.free.push(slot.0);
        }
    }
}

/// Slots' identifications, in chunks of [`APPS_CHUNK`]: one vector grown by doubling copied
/// them all at each growth into fresh memory, a quarter of the identification thread's time on
/// the benchmark capture (perf, its 18,000 flows all live until the end).
#[derive(Debug, Default)]
struct Apps {
    chunks: Vec<Vec<App>>,
}

const APPS_CHUNK: usize = 1024;

impl Apps {
    fn get(&self, slot: Slot) -> Option<&App> {
        let index = slot.index();
        self.chunks.get(index / APPS_CHUNK)?.get(index % APPS_CHUNK)
    }

    fn get_mut(&mut self, slot: Slot) -> Option<&mut App> {
        let index = slot.index();
        self.chunks
            .get_mut(index / APPS_CHUNK)?
            .get_mut(index % APPS_CHUNK)
    }

    /// The slot's place, made (with every slot before it) if it is new.
    fn get_or_make(&mut self, slot: Slot) -> &mut App {
        let index = slot.index();
        let (chunk, within) = (index / APPS_CHUNK, index % APPS_CHUNK);
        while self.chunks.len() <= chunk {
            self.chunks
                .push(std::iter::repeat_with(App::idle).take(APPS_CHUNK).collect());
        }
        &mut self.chunks[chunk][within]
    }
}

/// Every flow's identification by its slot, and the names DNS answers gave to addresses.
#[derive(Debug, Default)]
pub struct Inspector {
    apps: Apps,
    dns_names: FxHashMap<IpAddr, Arc<str>>,
    /// Answers found in the payload being inspected.
    new_names: Vec<(IpAddr, Arc<str>)>,
    /// Flows whose inspection ended, `(slot, number)`, to tell the flow table (on a worker).
    pub(super) ended: Option<Vec<(Slot, u64)>>,
    /// Findings asked for and not collected yet (inline).
    pub(super) found: VecDeque<Vec<Option<Box<App>>>>,
}

impl Inspector {
    /// An inspector that notes the flows whose inspection ended, for a worker to tell the
    /// flow table.
    pub(super) fn telling_ended_flows() -> Inspector {
        Inspector {
            ended: Some(Vec::new()),
            ..Inspector::default()
        }
    }

    /// Look at one payload of flow number `flow`, in `slot`; `fresh` with its first payload
    /// (the slot's earlier flow, if any, is over).
    pub(super) fn inspect(&mut self, slot: Slot, flow: u64, fresh: bool, payload: &Payload<'_>) {
        let app = self.apps.get_or_make(slot);
        if fresh {
            *app = App::default();
        }
        if !app.inspecting() {
            return;
        }
        app.inspect(payload, &mut self.new_names);
        if !app.inspecting()
            && let Some(ended) = &mut self.ended
        {
            ended.push((slot, flow));
        }
        if !self.new_names.is_empty() {
            if self.dns_names.len() >= MAX_DNS_NAMES {
                self.dns_names.clear();
            }
            self.dns_names.extend(self.new_names.drain(..));
        }
    }

    /// Whether the flow in `slot` is still being inspected.
    pub(super) fn inspecting(&self, slot: Slot) -> bool {
        self.apps.get(slot).is_some_and(App::inspecting)
    }

    /// The flow in `slot` (none: it had no payload), whose server is `server`, is over: what
    /// was found about it (nothing when nothing was), its server named from DNS answers seen
    /// so far if its payload gave no name. The slot is free again.
    fn finish(&mut self, slot: Slot, server: IpAddr) -> Option<Box<App>> {
        let mut app = self.apps.get_mut(slot).and_then(|held| {
            let mut found = std::mem::replace(held, App::idle());
            found.close();
            // A flow whose payload said nothing keeps nothing: long lists hold many of them.
            (!found.is_empty()).then(|| Box::new(found))
        });
        let unnamed = app.as_ref().is_none_or(|a| a.info.server_name.is_none());
        if unnamed && let Some(name) = self.dns_names.get(&server) {
            let named = app.get_or_insert_with(|| Box::new(App::idle()));
            named.info.server_name = Some(Arc::clone(name));
            named.info.name_source = Some(NameSource::Dns);
        }
        app
    }

    /// [`Inspector::finish`] for each of the flows `(slot, server address)`, in order.
    /// `flows` is left empty, to be filled again.
    pub(super) fn finish_all(&mut self, flows: &mut Vec<(Slot, IpAddr)>) -> Vec<Option<Box<App>>> {
        // Flows end long after their last payload: their identification, its state and the
        // name of a DNS flow's first question are cold. Each is asked for ahead, once what
        // points to it has arrived (a few flows later).
        const AHEAD: usize = 4;
        let mut found = Vec::with_capacity(flows.len());
        for at in 0..flows.len() {
            let app = |ahead: usize| flows.get(at + ahead).and_then(|f| self.apps.get(f.0));
            if let Some(app) = app(3 * AHEAD) {
                crate::hint::prefetch(app);
            }
            if let Some(state) = app(2 * AHEAD).and_then(|a| a.state.as_deref()) {
                crate::hint::prefetch(state);
            }
            if let Some(first) = app(AHEAD)
                .and_then(|a| a.state.as_deref())
                .and_then(|s| s.first_question.as_ref())
            {
                crate::hint::prefetch(Arc::as_ptr(&first.name));
            }
            let (slot, server) = flows[at];
            found.push(self.finish(slot, server));
        }
        flows.clear();
        found
    }
}
