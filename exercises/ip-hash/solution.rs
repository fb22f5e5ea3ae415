//! IP-hash load balancing: the reference solution.

use sysdesign_support::contract::{Backend, Balancer};

pub struct IpHash;

impl IpHash {
    pub fn new() -> Self {
        IpHash
    }
}

impl Default for IpHash {
    fn default() -> Self {
        Self::new()
    }
}

/// FNV-1a over the address's four bytes: every byte changes the result.
fn fnv1a(client: u32) -> u64 {
    client
        .to_be_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

impl Balancer for IpHash {
    fn pick(&mut self, client: u32, backends: &[Backend]) -> Option<usize> {
        let len = backends.len();
        if len == 0 {
            return None;
        }
        // A slot in the whole list, so a server going down moves only its own clients.
        // FNV's low bits mix poorly, so fold the high half in before the modulo.
        let hash = fnv1a(client);
        let start = ((hash ^ (hash >> 32)) % len as u64) as usize;
        (0..len)
            .map(|offset| (start + offset) % len)
            .find(|&i| backends[i].healthy)
    }
}
