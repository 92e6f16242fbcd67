//! pcapng: sections, each with its own byte order and interface table; packets in Enhanced,
//! Simple or (obsolete) Packet Blocks; everything else skipped by its length.

use pcap_parser::pcapng::{Block, OptionCode};
use pcap_parser::traits::PcapNGPacketBlock;
use pcap_parser::{InterfaceDescriptionBlock, PcapBlockOwned};

use super::block::{self, BlockHandler};
use super::{CaptureError, Frame, Precision, ReadOutcome, Timestamp};

const SHB_TYPE: u32 = 0x0a0d_0d0a;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
/// The pcapng 1.0 Packet Block, replaced by the Enhanced Packet Block but still written by old
/// tools; the parser hands it over as an unknown block.
const OBSOLETE_PACKET_BLOCK: u32 = 0x0000_0002;
/// Link type given to frames whose interface the section never declared: no dissector claims
/// it, so they are counted as frames of an unknown link type rather than dropped.
pub const UNDECLARED_INTERFACE: u32 = u32::MAX;

/// How an interface counts time (`if_tsresol`) and where its clock starts (`if_tsoffset`).
#[derive(Clone, Copy, Debug)]
struct Interface {
    linktype: u32,
    snaplen: u32,
    /// Ticks per second, or `None` when `if_tsresol` names an impossible resolution.
    units_per_sec: Option<u64>,
    /// Power-of-two resolutions: ticks per second is 2^shift.
    binary_shift: Option<u32>,
    offset_secs: i64,
}

impl Interface {
    fn from_block(idb: &InterfaceDescriptionBlock<'_>, big_endian: bool) -> Self {
        let resol = idb.if_tsresol;
        let (units_per_sec, binary_shift) = if resol & 0x80 == 0 {
            (10u64.checked_pow(u32::from(resol)), None)
        } else {
            let shift = u32::from(resol & 0x7f);
            (1u64.checked_shl(shift).filter(|_| shift < 64), Some(shift))
        };
        // The parser decodes if_tsoffset as little-endian whatever the section's byte order;
        // read the option again in the right order.
        let offset_secs = idb
            .options
            .iter()
            .find(|o| o.code == OptionCode::IfTsoffset)
            .and_then(|o| block::i64_at(o.value(), 0, big_endian))
            .unwrap_or(0);
        Interface {
            linktype: (idb.linktype.0 as u32) & 0xffff,
            snaplen: idb.snaplen,
            units_per_sec,
            binary_shift,
            offset_secs,
        }
    }

    fn timestamp(&self, ticks: u64) -> Timestamp {
        let nanos_from_ticks: i128 = match (self.binary_shift, self.units_per_sec) {
            (Some(shift), _) => ((u128::from(ticks) * 1_000_000_000) >> shift) as i128,
            (None, Some(units)) if units <= 1_000_000_000 => {
                i128::from(ticks) * i128::from(1_000_000_000 / units)
            }
            (None, Some(units)) => i128::from(ticks / (units / 1_000_000_000)),
            (None, None) => 0,
        };
        let nanos = nanos_from_ticks + i128::from(self.offset_secs) * 1_000_000_000;
        Timestamp::from_nanos(nanos.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
    }

    fn precision(&self) -> Precision {
        match (self.binary_shift, self.units_per_sec) {
            (Some(shift), _) => Precision::for_units_per_sec(1u64 << shift.min(63)),
            (None, Some(units)) => Precision::for_units_per_sec(units),
            (None, None) => Precision::NANOS,
        }
    }
}

pub(super) struct PcapNgHandler {
    big_endian: bool,
    interfaces: Vec<Interface>,
    frames: u64,
    /// Simple Packet Blocks carry no time; they take the last time seen in their section, or
    /// none before the section's first timed packet (tshark shows them without a time).
    last_timestamp: Timestamp,
    precision: Option<Precision>,
    undeclared_interface_frames: u64,
    bad_resolution_interfaces: u64,
}

impl PcapNgHandler {
    pub(super) fn check_header(data: &[u8]) -> Result<Self, CaptureError> {
        let bad = |detail: String| CaptureError::BadHeader {
            format: "pcapng",
            detail,
        };
        if data.len() < 28 {
            return Err(bad(format!(
                "section header block cut short ({} of at least 28 bytes)",
                data.len()
            )));
        }
        let bom = u32::from_le_bytes([data[8], data[9], data[10], data[11]]);
        let big_endian = match bom {
            BYTE_ORDER_MAGIC => false,
            m if m.swap_bytes() == BYTE_ORDER_MAGIC => true,
            other => {
                return Err(bad(format!(
                    "byte-order magic 0x{other:08x} is not 0x{BYTE_ORDER_MAGIC:08x} in either byte order"
                )));
            }
        };
        let handler = PcapNgHandler {
            big_endian,
            interfaces: Vec::new(),
            frames: 0,
            last_timestamp: Timestamp::UNKNOWN,
            precision: None,
            undeclared_interface_frames: 0,
            bad_resolution_interfaces: 0,
        };
        let block_len = handler.u32_at(data, 4).unwrap_or(0);
        if block_len < 28 || !block_len.is_multiple_of(4) {
            return Err(bad(format!(
                "section header block length {block_len} is invalid (at least 28, a multiple of 4)"
            )));
        }
        let major = handler.u16_at(data, 12).unwrap_or(0);
        if major != 1 {
            return Err(bad(format!("version {major}, expected 1")));
        }
        Ok(handler)
    }

    fn u32_at(&self, data: &[u8], at: usize) -> Option<u32> {
        block::u32_at(data, at, self.big_endian)
    }

    fn u16_at(&self, data: &[u8], at: usize) -> Option<u16> {
        block::u16_at(data, at, self.big_endian)
    }

    fn deliver(
        &mut self,
        interface_id: u32,
        ticks: Option<u64>,
        orig_len: u32,
        data: &[u8],
        on_frame: &mut dyn FnMut(&Frame<'_>),
    ) {
        self.frames += 1;
        let interface = self.interfaces.get(interface_id as usize).copied();
        let (linktype, timestamp) = match interface {
            Some(interface) => {
                let ts = ticks.map_or(self.last_timestamp, |t| interface.timestamp(t));
                (interface.linktype, ts)
            }
            None => {
                self.undeclared_interface_frames += 1;
                (UNDECLARED_INTERFACE, self.last_timestamp)
            }
        };
        self.last_timestamp = timestamp;
        on_frame(&Frame {
            number: self.frames,
            timestamp,
            linktype,
            orig_len: orig_len.max(data.len() as u32),
            data,
            precision: self.precision.unwrap_or(Precision::MICROS),
        });
    }
}

impl BlockHandler for PcapNgHandler {
    fn handle(&mut self, block: PcapBlockOwned<'_>, on_frame: &mut dyn FnMut(&Frame<'_>)) {
        let PcapBlockOwned::NG(block) = block else {
            return;
        };
        match block {
            Block::SectionHeader(shb) => {
                // A new section starts a new interface table, possibly in the other byte order.
                self.big_endian = shb.big_endian();
                self.interfaces.clear();
                self.last_timestamp = Timestamp::UNKNOWN;
            }
            Block::InterfaceDescription(idb) => {
                let interface = Interface::from_block(&idb, self.big_endian);
                if interface.units_per_sec.is_none() {
                    self.bad_resolution_interfaces += 1;
                }
                let precision = interface.precision();
                self.precision = Some(self.precision.map_or(precision, |p| p.max(precision)));
                self.interfaces.push(interface);
            }
            Block::EnhancedPacket(epb) => {
                let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                self.deliver(
                    epb.if_id,
                    Some(ticks),
                    epb.origlen,
                    epb.packet_data(),
                    on_frame,
                );
            }
            Block::SimplePacket(spb) => {
                // Captured length is the smaller of the original length and the interface's
                // snaplen; the block's data is padded to 32 bits.
                let snaplen = self.interfaces.first().map_or(0, |i| i.snaplen);
                let data = spb.packet_data();
                let data = if snaplen > 0 && data.len() > snaplen as usize {
                    &data[..snaplen as usize]
                } else {
                    data
                };
                self.deliver(0, None, spb.origlen, data, on_frame);
            }
            Block::Unknown(ub) if self.normalize(ub.block_type) == OBSOLETE_PACKET_BLOCK => {
                // interface id (16), drops (16), timestamp high, low, caplen, len, data.
                let d = ub.data;
                let (Some(if_id), Some(high), Some(low), Some(caplen), Some(len)) = (
                    self.u16_at(d, 0),
                    self.u32_at(d, 4),
                    self.u32_at(d, 8),
                    self.u32_at(d, 12),
                    self.u32_at(d, 16),
                ) else {
                    return;
                };
                let data = d.get(20..).unwrap_or_default();
                let data = &data[..data.len().min(caplen as usize)];
                let ticks = (u64::from(high) << 32) | u64::from(low);
                self.deliver(u32::from(if_id), Some(ticks), len, data, on_frame);
            }
            // Statistics, name resolution, secrets, journal, custom and unknown blocks carry no
            // packets; the parser has already skipped them by their length.
            _ => {}
        }
    }

    fn describe_incomplete(&self, data: &[u8]) -> String {
        let block_type = self.u32_at(data, 0);
        match (block_type, self.u32_at(data, 4)) {
            (Some(block_type), Some(len))
                if block_type == SHB_TYPE || len < 12 || !len.is_multiple_of(4) =>
            {
                if block_type == SHB_TYPE {
                    format!(
                        "section header block of {len} bytes, only {} present",
                        data.len()
                    )
                } else {
                    format!(
                        "block type 0x{block_type:08x} has invalid length {len} (at least 12, a multiple of 4)"
                    )
                }
            }
            // All of it is there, so the parser refused its content.
            (Some(block_type), Some(len)) if len as usize <= data.len() => format!(
                "{} (type 0x{block_type:08x}) of {len} bytes is too short for its fields",
                block_name(block_type),
            ),
            (Some(block_type), Some(len)) => format!(
                "{} (type 0x{block_type:08x}) of {len} bytes, only {} present",
                block_name(block_type),
                data.len()
            ),
            _ => format!("block header cut short ({} of 8 bytes)", data.len()),
        }
    }

    fn claimed_len(&self, data: &[u8]) -> Option<u64> {
        self.u32_at(data, 4).map(u64::from)
    }

    fn finish(self, outcome: &mut ReadOutcome) {
        outcome.frames = self.frames;
        outcome.precision = self.precision.or(Some(Precision::MICROS));
        if self.undeclared_interface_frames > 0 {
            outcome.notes.push(format!(
                "{} packets refer to an interface the section never declared",
                self.undeclared_interface_frames
            ));
        }
        if self.bad_resolution_interfaces > 0 {
            outcome.notes.push(format!(
                "{} interfaces declare an impossible timestamp resolution; their packets are timed from the epoch",
                self.bad_resolution_interfaces
            ));
        }
    }
}

impl PcapNgHandler {
    /// The parser reads block types little-endian; undo that for big-endian sections.
    fn normalize(&self, block_type: u32) -> u32 {
        if self.big_endian {
            block_type.swap_bytes()
        } else {
            block_type
        }
    }
}

fn block_name(block_type: u32) -> &'static str {
    match block_type {
        0x0000_0001 => "interface description block",
        0x0000_0002 => "packet block",
        0x0000_0003 => "simple packet block",
        0x0000_0004 => "name resolution block",
        0x0000_0005 => "interface statistics block",
        0x0000_0006 => "enhanced packet block",
        _ => "block",
    }
}
