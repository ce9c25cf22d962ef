use rayon::prelude::*;

fn main() {
    let words = ["one", "two", "three", "four", "five", "six"];
    words.par_iter().enumerate().for_each(|(i, word)| {
        println!("{i}: {word}");
    });
}
