//! The network layer: a network namespace with only `lo` up, and a mount namespace that
//! hides the machine's sockets and shows the run's own network in `/sys`.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use nix::fcntl::{OFlag, open};
use nix::mount::{MsFlags, mount};
use nix::sched::{CloneFlags, unshare};
use nix::sys::stat::Mode;
use nix::unistd::{getegid, geteuid};

/// Directories a run sees empty: where Unix sockets of the machine's services live (a
/// socket is reached by `connect`, which Landlock's ABI 7 does not govern), and where other
/// programs keep their temporary files. `/dev/shm` becomes the run's own, writable.
pub(super) const HIDDEN: &[&str] = &["/tmp", "/run", "/var/tmp", "/dev/shm"];

/// Enters new user (when `userns`), network and mount namespaces; brings up `lo`; hides
/// [`HIDDEN`] and mounts a sysfs of the new network over `/sys`. `keep` (the run's
/// directory, the listing's binary) stays visible at its path. Must run single-threaded.
pub(super) fn enter(userns: bool, keep: &[&Path]) -> Result<()> {
    let (uid, gid) = (geteuid(), getegid());
    let mut flags = CloneFlags::CLONE_NEWNET | CloneFlags::CLONE_NEWNS;
    if userns {
        flags |= CloneFlags::CLONE_NEWUSER;
    }
    unshare(flags).context("unshare")?;
    if userns {
        map_ids(uid.as_raw(), gid.as_raw())?;
        // No user namespace below this one: a listing cannot give itself capabilities again.
        // Best effort: it changes nothing the other layers do not already forbid.
        let _ = std::fs::write("/proc/sys/user/max_user_namespaces", "0");
    }
    loopback_up().context("bringing up lo")?;
    hide(keep).context("mounting over /tmp and /run")?;
    Ok(())
}

/// Maps this user (and group) to itself in the new user namespace: files keep their owners.
fn map_ids(uid: u32, gid: u32) -> Result<()> {
    std::fs::write("/proc/self/uid_map", format!("{uid} {uid} 1\n")).context("writing uid_map")?;
    std::fs::write("/proc/self/setgroups", "deny").context("writing setgroups")?;
    std::fs::write("/proc/self/gid_map", format!("{gid} {gid} 1\n")).context("writing gid_map")?;
    Ok(())
}

/// `ip link set lo up`, through the ioctl `ip` uses.
fn loopback_up() -> Result<()> {
    use nix::libc;
    // SAFETY: plain system calls on a socket we own and an `ifreq` we initialised.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (dst, src) in req.ifr_name.iter_mut().zip(b"lo\0") {
            *dst = *src as libc::c_char;
        }
        req.ifr_ifru.ifru_flags = (libc::IFF_UP | libc::IFF_LOOPBACK | libc::IFF_RUNNING) as i16;
        let r = libc::ioctl(fd, libc::SIOCSIFFLAGS, &req);
        let err = std::io::Error::last_os_error();
        libc::close(fd);
        if r < 0 {
            return Err(err.into());
        }
    }
    Ok(())
}

/// Mounts empty file systems over [`HIDDEN`] and a new sysfs over `/sys`, then binds every
/// path of `keep` that was hidden back in place.
fn hide(keep: &[&Path]) -> Result<()> {
    // Nothing mounted here may propagate to the machine's namespace.
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("making mounts private")?;
    // Opened before the mounts hide them.
    let kept: Vec<(PathBuf, OwnedFd)> = keep
        .iter()
        .filter(|p| HIDDEN.iter().any(|h| p.starts_with(h)))
        .map(|p| {
            let fd = open(*p, OFlag::O_PATH | OFlag::O_CLOEXEC, Mode::empty())
                .with_context(|| format!("opening {}", p.display()))?;
            Ok((p.to_path_buf(), fd))
        })
        .collect::<Result<_>>()?;
    let flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
    for dir in HIDDEN.iter().filter(|d| Path::new(d).is_dir()) {
        mount(
            Some("tmpfs"),
            *dir,
            Some("tmpfs"),
            flags,
            Some("mode=1777,size=256m"),
        )
        .with_context(|| format!("mounting a tmpfs on {dir}"))?;
    }
    let sys_flags = flags | MsFlags::MS_NOEXEC | MsFlags::MS_RDONLY;
    mount(Some("sysfs"), "/sys", Some("sysfs"), sys_flags, None::<&str>).context("mounting /sys")?;
    for (path, fd) in &kept {
        bind_back(path, fd)?;
    }
    // The working directory was opened before the mounts: enter it again through them.
    if let Ok(cwd) = std::env::current_dir() {
        std::env::set_current_dir(&cwd).context("entering the working directory again")?;
    }
    Ok(())
}

/// Binds what `fd` opened (before it was hidden) at `path` again.
fn bind_back(path: &Path, fd: &OwnedFd) -> Result<()> {
    let source = format!("/proc/self/fd/{}", fd.as_raw_fd());
    let parent = path.parent().context("a kept path has a parent")?;
    std::fs::create_dir_all(parent)?;
    if Path::new(&source).is_dir() {
        std::fs::create_dir_all(path)?;
    } else {
        std::fs::write(path, b"")?;
    }
    mount(
        Some(source.as_str()),
        path,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .with_context(|| format!("binding {} back", path.display()))?;
    Ok(())
}
