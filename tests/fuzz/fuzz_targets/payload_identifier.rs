//! Any payloads through the application-protocol identification (TLS, QUIC decryption, DNS,
//! HTTP and the other signatures): the first bytes choose the ports, the transport and how the
//! rest is cut into packets of either direction.
#![no_main]

use libfuzzer_sys::fuzz_target;

use ca_cli::identify::{App, Payload};

/// Ports whose checks differ, so most inputs reach a port-gated parser.
const PORTS: [u16; 16] = [
    53, 5353, 5355, 137, 138, 443, 80, 123, 67, 547, 88, 389, 3389, 1900, 40000, 22,
];

fuzz_target!(|data: &[u8]| {
    let Some((&[ports, shape, cut], mut rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let tcp = shape & 1 != 0;
    let client_port = PORTS[usize::from(ports >> 4)];
    let server_port = PORTS[usize::from(ports & 0x0f)];
    let mut app = App::default();
    let mut names = Vec::new();
    let mut seq = [1000u32, 5000u32];
    let mut turn = 0u8;
    let size = usize::from(cut.max(1)) * 8;
    while !rest.is_empty() && app.inspecting() {
        let (packet, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        let from_client = (shape >> (1 + (turn % 7))) & 1 == 0;
        turn = turn.wrapping_add(1);
        let side = usize::from(!from_client);
        app.inspect(
            &Payload {
                data: packet,
                from_client,
                tcp,
                seq: seq[side],
                client_port,
                server_port,
                dns_details: shape & 0x80 != 0,
            },
            &mut names,
        );
        seq[side] = seq[side].wrapping_add(packet.len() as u32);
    }
    let _ = app.info.detail();
    app.close();
});
