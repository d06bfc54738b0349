// Dictionaries: optional lookups, insertion order, mutation.
var ages = ["ann": 31, "bob": 25]
print(ages["ann"]) // expect: Optional(31)
print(ages["zed"]) // expect: nil
print(ages["zed", default: 0]) // expect: 0
print(ages["ann"] ?? 0) // expect: 31
ages["cy"] = 40
ages["bob"] = 26
print(ages) // expect: ["ann": 31, "bob": 26, "cy": 40]
print(ages.count, ages.isEmpty) // expect: 3 false
print(ages.keys, ages.values) // expect: ["ann", "bob", "cy"] [31, 26, 40]
ages["ann"] = nil
print(ages) // expect: ["bob": 26, "cy": 40]
print(ages.removeValue(forKey: "bob")) // expect: Optional(26)
print(ages.removeValue(forKey: "bob")) // expect: nil
for (name, age) in ["x": 1, "y": 2] {
    print(name, age)
}
// expect: x 1
// expect: y 2
// cell
var counts: [String: Int] = [:]
for word in ["a", "b", "a"] {
    counts[word, default: 0] += 1
}
print(counts) // expect: ["a": 2, "b": 1]
print(counts.map { $0.key + "=" + String($0.value) }) // expect: ["a=2", "b=1"]
print(counts.filter { $0.value > 1 }) // expect: ["a": 2]
print(counts.mapValues { $0 * 10 }) // expect: ["a": 20, "b": 10]
print(counts.sorted { $0.value < $1.value }) // expect: [(key: "b", value: 1), (key: "a", value: 2)]
let byId = [1: "one", 2: "two"]
print(byId[2]!) // expect: two
print(byId.keys.sorted()) // expect: [1, 2]
// cell
var scores = ["a": 1]
scores["a"]! += 5
print(scores) // expect: ["a": 6]
scores["a"] += 1 // expect error: value of optional type 'Int?' must be unwrapped to use '+'; use '!' or '??'
// cell
let bad = [[1]: "list key"] // expect error: a dictionary key must be an Int, String or Bool, not [Int]
// cell
let twice = ["k": 1, "k": 2] // expect error: dictionary literal has the key "k" twice
