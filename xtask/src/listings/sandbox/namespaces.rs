//! The network layer: a network namespace with only `lo` up, and a mount namespace whose
//! root holds only the system's directories and the run's own: none of the machine's Unix
//! sockets is there to connect to, and `/sys` shows the run's own network.

use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use nix::fcntl::{OFlag, open};
use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};
use nix::sys::stat::Mode;
use nix::unistd::{getegid, geteuid, pivot_root};

use super::files::DEVICES;

/// Mounts that make up a run's root, besides `keep` and the devices: the system's programs and
/// libraries and `/etc` (bound, read-only for the run by Landlock), the kernel's view of the
/// processes (`/proc`, bound) and of the run's own network (`/sys`, a new sysfs). A symbolic
/// link among them (`/bin -> usr/bin`) is made again as a link.
const SYSTEM: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc",
];

/// Empty directories of the run's root, where programs expect them. Nothing of the machine's
/// is in them: not its temporary files, not its services' Unix sockets.
const EMPTY: &[&str] = &["/tmp", "/var/tmp", "/run"];

/// Enters new user (when `userns`), network and mount namespaces; brings up `lo`; makes a
/// root of the system's directories, a sysfs of the new network and `keep` (the run's
/// directory, the listing's binary, each at its own path), and enters it ([`new_root`]).
/// Must run single-threaded.
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
    new_root(keep).context("making the run's root")?;
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

/// Makes the run's root and enters it: a tmpfs holding [`SYSTEM`], a new sysfs, the
/// devices of [`DEVICES`], its own `/dev/shm`, the [`EMPTY`] directories, and every path of
/// `keep` bound at its own path. Nothing else of the machine's file system is there, so no
/// Unix socket of the machine's can be reached by its path (`connect` on a socket is not
/// something Landlock's ABI 7 governs), wherever it is.
fn new_root(keep: &[&Path]) -> Result<()> {
    // Nothing mounted here may propagate to the machine's namespace.
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("making mounts private")?;
    // Opened before the root's tmpfs covers `STAGE`, where a kept path may be.
    let kept: Vec<(PathBuf, OwnedFd)> = keep
        .iter()
        .filter(|p| !SYSTEM.iter().any(|s| p.starts_with(s)))
        .map(|p| {
            let fd = open(*p, OFlag::O_PATH | OFlag::O_CLOEXEC, Mode::empty())
                .with_context(|| format!("opening {}", p.display()))?;
            Ok((p.to_path_buf(), fd))
        })
        .collect::<Result<_>>()?;
    let cwd = std::env::current_dir().ok();
    let root = Path::new(STAGE);
    let flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
    mount(
        Some("tmpfs"),
        root,
        Some("tmpfs"),
        flags,
        Some("mode=755,size=16m"),
    )
    .context("mounting the root's tmpfs")?;
    for dir in SYSTEM {
        system(root, dir)?;
    }
    let sys = under(root, Path::new("/sys"))?;
    let sys_flags = flags | MsFlags::MS_NOEXEC | MsFlags::MS_RDONLY;
    mount(Some("sysfs"), &sys, Some("sysfs"), sys_flags, None::<&str>).context("mounting /sys")?;
    devices(root)?;
    for dir in EMPTY {
        under(root, Path::new(dir))?;
    }
    for (path, fd) in &kept {
        bind_kept(root, path, fd)?;
    }
    enter_root(root)?;
    // The working directory was opened in the old root: enter it again in the new one.
    if let Some(cwd) = cwd {
        std::env::set_current_dir(&cwd).context("entering the working directory again")?;
    }
    Ok(())
}

/// Where the root is put together before the process enters it: a directory every system
/// has, and one the run's root leaves empty anyway.
const STAGE: &str = "/tmp";

/// Puts `/<dir>` of the machine into `root`: bound (recursively: `/proc` may have mounts
/// below it, and a user namespace may only bind them all), or made again as a symbolic link.
/// A directory the machine lacks (`/lib32`) is left out.
fn system(root: &Path, dir: &str) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    let target = root.join(dir.trim_start_matches('/'));
    if meta.file_type().is_symlink() {
        let link = std::fs::read_link(dir)?;
        std::os::unix::fs::symlink(&link, &target).with_context(|| format!("linking {dir}"))?;
        return Ok(());
    }
    std::fs::create_dir(&target)?;
    bind(Path::new(dir), &target)
}

/// `/dev` of the run: the devices of [`DEVICES`] bound from the machine's, the links
/// programs expect (`/dev/fd`, `/dev/stdin`...), and a fresh, empty `/dev/shm`.
fn devices(root: &Path) -> Result<()> {
    let dev = under(root, Path::new("/dev"))?;
    for device in DEVICES.iter().map(Path::new).filter(|d| d.exists()) {
        let target = root.join(device.strip_prefix("/")?);
        std::fs::write(&target, b"")?;
        bind(device, &target)?;
    }
    for (name, link) in [
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ] {
        std::os::unix::fs::symlink(link, dev.join(name))?;
    }
    let shm = under(root, Path::new("/dev/shm"))?;
    let flags = MsFlags::MS_NOSUID | MsFlags::MS_NODEV;
    mount(
        Some("tmpfs"),
        &shm,
        Some("tmpfs"),
        flags,
        Some("mode=1777,size=256m"),
    )
    .context("mounting /dev/shm")?;
    Ok(())
}

/// Makes `path` (absolute) as a directory inside `root`, one component at a time, and
/// returns it. Only called for paths outside [`SYSTEM`], so no component is a link or a
/// directory of the machine's: nothing is ever created outside the root's own file systems.
fn under(root: &Path, path: &Path) -> Result<PathBuf> {
    let mut at = root.to_path_buf();
    for part in path.components() {
        match part {
            Component::RootDir => {}
            Component::Normal(name) => {
                at.push(name);
                match std::fs::symlink_metadata(&at) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => bail!("{} is not a directory in the run's root", at.display()),
                    Err(_) => std::fs::create_dir(&at).with_context(|| format!("making {}", at.display()))?,
                }
            }
            _ => bail!("{} is not a plain absolute path", path.display()),
        }
    }
    Ok(at)
}

/// Binds what `fd` opened (in the machine's tree) at `path` in `root`.
fn bind_kept(root: &Path, path: &Path, fd: &OwnedFd) -> Result<()> {
    let source = PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()));
    let target = if source.is_dir() {
        under(root, path)?
    } else {
        let parent = under(root, path.parent().context("a kept path has a parent")?)?;
        let target = parent.join(path.file_name().context("a kept path has a name")?);
        std::fs::write(&target, b"")?;
        target
    };
    bind(&source, &target).with_context(|| format!("binding {}", path.display()))
}

/// A recursive bind mount of `source` at `target`.
fn bind(source: &Path, target: &Path) -> Result<()> {
    mount(
        Some(source),
        target,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .with_context(|| format!("binding {} at {}", source.display(), target.display()))
}

/// Makes `root` this process's root and lets go of the old one, which stays mounted
/// nowhere the run can reach (`pivot_root(".", ".")`, then the old root, stacked on the
/// same point, is detached).
fn enter_root(root: &Path) -> Result<()> {
    std::env::set_current_dir(root).context("entering the root")?;
    pivot_root(".", ".").context("pivot_root")?;
    umount2(".", MntFlags::MNT_DETACH).context("detaching the old root")?;
    std::env::set_current_dir("/")?;
    Ok(())
}
