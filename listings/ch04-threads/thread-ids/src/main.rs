use std::thread;

fn main() {
    let main_thread = thread::current();
    let handle = thread::spawn(|| {
        let me = thread::current();
        (me.id(), me.name().map(String::from))
    });
    let id_from_handle = handle.thread().id();
    let (id, name) = handle.join().unwrap();
    println!("main thread:    {:?}, name {:?}", main_thread.id(), main_thread.name());
    println!("spawned thread: {id:?}, name {name:?}");
    println!("the handle knew its id: {}", id == id_from_handle);
}
