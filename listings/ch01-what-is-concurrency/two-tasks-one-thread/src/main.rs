fn main() {
    let download = (1..=3).map(|i| format!("download: chunk {i} of 3"));
    let spinner = ['|', '/', '-', '\\'].into_iter().map(|c| format!("spinner: {c}"));
    let mut tasks: Vec<Box<dyn Iterator<Item = String>>> =
        vec![Box::new(download), Box::new(spinner)];

    while !tasks.is_empty() {
        tasks.retain_mut(|task| match task.next() {
            Some(line) => {
                println!("{line}");
                true
            }
            None => false,
        });
    }
    println!("all tasks finished");
}
