//! Capabilities: none for the listing, whoever runs the engine.

use anyhow::{Result, bail};
use nix::libc;

/// `_LINUX_CAPABILITY_VERSION_3`: capability sets of two 32-bit words.
const CAPABILITY_VERSION_3: u32 = 0x2008_0522;
/// `CAP_SETPCAP`, which dropping from the bounding set needs.
const CAP_SETPCAP: u32 = 8;

#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// Drops every capability from the bounding set (so that executing a program as root does
/// not give them back), the ambient set and the effective, permitted and inheritable sets.
/// Under root without a user namespace, this is what keeps a listing from undoing the other
/// layers (remounting, leaving its cgroup, entering the machine's network namespace).
pub(super) fn drop_all() -> Result<()> {
    // SAFETY: prctl and capset with arguments of the documented types.
    unsafe {
        for cap in 0..64 {
            // EINVAL past the last capability this kernel knows; EPERM when we could not
            // hold it anyway (then it is not in the bounding set of what we start either...
            // unless we were never allowed to drop it: checked below).
            if libc::prctl(libc::PR_CAPBSET_READ, cap, 0, 0, 0) == 1
                && libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0
                && has_effective(CAP_SETPCAP)
            {
                bail!("dropping capability {cap}: {}", std::io::Error::last_os_error());
            }
        }
        libc::prctl(libc::PR_CAP_AMBIENT, libc::PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        let header = CapHeader {
            version: CAPABILITY_VERSION_3,
            pid: 0,
        };
        let data = [CapData::default(); 2];
        if libc::syscall(libc::SYS_capset, &header, data.as_ptr()) != 0 {
            bail!("capset: {}", std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Whether this process holds capability `cap` in its effective set.
fn has_effective(cap: u32) -> bool {
    let mut header = CapHeader {
        version: CAPABILITY_VERSION_3,
        pid: 0,
    };
    let mut data = [CapData::default(); 2];
    // SAFETY: capget fills the two words we pass.
    let r = unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) };
    r == 0 && data[(cap / 32) as usize].effective & (1 << (cap % 32)) != 0
}
