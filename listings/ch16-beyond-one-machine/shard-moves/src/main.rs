/// FNV-1a: a tiny hash whose values are the same on every machine and in every Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// MurmurHash3's finaliser: spreads every input bit over every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ x >> 33
}

/// Modulo sharding: the hash of the key, modulo the number of shards.
fn by_modulo(key: &str, shards: u64) -> u64 {
    fnv1a(key.as_bytes()) % shards
}

/// Rendezvous hashing: every shard scores the key; the highest score wins.
fn by_rendezvous(key: &str, shards: u64) -> u64 {
    (0..shards).max_by_key(|shard| mix(fnv1a(format!("{shard}:{key}").as_bytes()))).unwrap()
}

fn main() {
    let keys: Vec<String> = (0..10_000).map(|i| format!("user-{i}")).collect();
    for (name, place) in
        [("hash % n", by_modulo as fn(&str, u64) -> u64), ("rendezvous", by_rendezvous)]
    {
        let mut load = [0; 5];
        let mut moved = 0;
        for key in &keys {
            let before = place(key, 4);
            let after = place(key, 5);
            load[after as usize] += 1;
            moved += (before != after) as u32;
        }
        println!("{name}: keys per shard with 5 shards: {load:?}");
        println!("{name}: going from 4 to 5 shards moves {moved} of {} keys", keys.len());
    }
}
