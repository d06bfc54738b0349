#!/usr/bin/env python3
"""Step-by-step comparison of `lesson train` with a TensorFlow model of the tutorial's graph.

Not part of the product and never a dependency of it: run it by hand, in a throwaway virtual
environment that has TensorFlow (see README.md beside this file).

Given the weights `lesson train --save-initial` wrote and the CSV `lesson train --trace` wrote,
it builds the tutorial's model in TensorFlow with those weights (embedding lookup, two
BasicLSTMCell layers with forget_bias 0, softmax, sequence_loss averaged over the batch and
summed over the steps, clip_by_global_norm at 5 with the embedding's gradient as IndexedSlices,
plain gradient descent), feeds it the same batches (the tutorial's reader: vocabulary by
descending count then word, rows of batch_len ids, windows of num_steps), and prints, for each
of the first N iterations, both costs, both gradient norms and their relative differences.
With --initial-stats it also prints what each initialiser drew against the uniform
distribution the tutorial asks for.
"""
import argparse
import collections
import csv
import math
import os
import sys

import numpy as np


def read_words(path):
    with open(path, encoding="utf-8") as f:
        return f.read().replace("\n", "<eos>").split()


def build_vocab(path):
    counter = collections.Counter(read_words(path))
    pairs = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return {word: index for index, (word, _) in enumerate(pairs)}


def batches(ids, batch_size, num_steps):
    data = np.array(ids, dtype=np.int32)
    batch_len = len(data) // batch_size
    data = data[: batch_size * batch_len].reshape(batch_size, batch_len)
    epoch_size = (batch_len - 1) // num_steps
    for i in range(epoch_size):
        yield data[:, i * num_steps:(i + 1) * num_steps], data[:, i * num_steps + 1:(i + 1) * num_steps + 1]


def read_trace(path):
    rows = []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["epoch"] == "1":
                rows.append((float(row["cost"]), float(row["grad_norm"])))
    return rows


def initial_stats(weights, scale):
    """What each initialiser drew, against uniform(-scale, scale): mean 0, std scale/sqrt(3)."""
    print(f"{'tensor':52s} {'shape':>14s} {'min':>9s} {'max':>9s} {'mean':>10s} {'std':>8s} (uniform: std {scale / math.sqrt(3):.5f})")
    for name, value in weights.items():
        print(f"{name:52s} {str(list(value.shape)):>14s} {value.min():9.5f} {value.max():9.5f} {value.mean():10.6f} {value.std():8.5f}")


def tutorial_weights(tf, seed, vocabulary=10000, embedding=200, sizes=(256, 128)):
    """The tutorial's variables as its graph initialises them: the scope's uniform initializer
    for every `get_variable`, zeros for BasicLSTMCell's biases."""
    tf.random.set_seed(seed)
    uniform = tf.random_uniform_initializer(-0.1, 0.1)
    weights = {"embedding_vocab:0": uniform([vocabulary, embedding]).numpy()}
    width = embedding
    for layer, units in enumerate(sizes):
        prefix = f"rnn/multi_rnn_cell/cell_{layer}/basic_lstm_cell"
        weights[f"{prefix}/kernel:0"] = uniform([width + units, 4 * units]).numpy()
        weights[f"{prefix}/bias:0"] = np.zeros([4 * units], dtype=np.float32)
        width = units
    weights["softmax_w:0"] = uniform([width, vocabulary]).numpy()
    weights["softmax_b:0"] = uniform([vocabulary]).numpy()
    return weights


def run_epoch(tf, step, evaluate, train, valid, cells, B, T, learning_rate):
    """The tutorial's first epoch: training with the state carried over, then validation."""
    sizes = [kernel.shape[1] // 4 for kernel, _ in cells]
    for name, ids, training in (("Train", train, True), ("Valid", valid, False)):
        state = [(tf.zeros([B, n]), tf.zeros([B, n])) for n in sizes]
        total, count = 0.0, 0
        epoch_size = (len(ids) // B - 1) // T
        for index, (x, y) in enumerate(batches(ids, B, T)):
            if training:
                cost, _, state = step(tf.constant(x), tf.constant(y), state, tf.constant(learning_rate))
            else:
                cost, state = evaluate(tf.constant(x), tf.constant(y), state)
            total += float(cost)
            count += T
            if training and index % (epoch_size // 10) == 10:
                print(f"Itr {index} of {epoch_size}, perplexity: {math.exp(total / count):.3f}", flush=True)
        print(f"Epoch 1: {name} Perplexity: {math.exp(total / count):.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", help="safetensors from `lesson train --save-initial`")
    parser.add_argument("--tf-init", type=int, metavar="SEED",
                        help="instead of --weights, draw the weights as the tutorial does: uniform(-0.1, 0.1) from "
                             "TensorFlow's generator with this seed, LSTM biases zero")
    parser.add_argument("--epoch", action="store_true",
                        help="train the whole first epoch, then print its train and validation perplexity")
    parser.add_argument("--trace", help="CSV from `lesson train --trace` (omit to print TensorFlow's numbers only)")
    parser.add_argument("--data", required=True, help="folder with ptb.train.txt")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--initial-stats", action="store_true")
    parser.add_argument("--learning-rate", type=float, default=1.0)
    parser.add_argument("--max-grad-norm", type=float, default=5.0)
    parser.add_argument("--batch-size", type=int, default=60)
    parser.add_argument("--num-steps", type=int, default=20)
    parser.add_argument("--forget-bias", type=float, default=0.0)
    args = parser.parse_args()

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    from safetensors.numpy import load_file

    if args.weights:
        weights = load_file(args.weights)
    elif args.tf_init is not None:
        weights = tutorial_weights(tf, args.tf_init)
    else:
        parser.error("give --weights or --tf-init")
    if args.initial_stats:
        initial_stats(weights, 0.1)
    layer_names = sorted({name.split("/basic_lstm_cell/")[0] for name in weights if "/basic_lstm_cell/" in name})
    embedding = tf.Variable(weights["embedding_vocab:0"])
    cells = [(tf.Variable(weights[f"{layer}/basic_lstm_cell/kernel:0"]), tf.Variable(weights[f"{layer}/basic_lstm_cell/bias:0"]))
             for layer in layer_names]
    softmax_w = tf.Variable(weights["softmax_w:0"])
    softmax_b = tf.Variable(weights["softmax_b:0"])
    variables = [embedding] + [v for cell in cells for v in cell] + [softmax_w, softmax_b]
    B, T = args.batch_size, args.num_steps

    def forward(x, y, state):
        if True:
            inputs = tf.nn.embedding_lookup(embedding, x)  # [B, T, E]
            layer_state = list(state)
            outputs = []
            for t in range(T):
                value = inputs[:, t, :]
                for index, (kernel, bias) in enumerate(cells):
                    c, h = layer_state[index]
                    gates = tf.matmul(tf.concat([value, h], 1), kernel) + bias
                    i, j, f, o = tf.split(gates, 4, axis=1)
                    c = c * tf.sigmoid(f + args.forget_bias) + tf.sigmoid(i) * tf.tanh(j)
                    h = tf.tanh(c) * tf.sigmoid(o)
                    layer_state[index] = (c, h)
                    value = h
                outputs.append(value)
            output = tf.reshape(tf.concat(outputs, 1), [-1, outputs[0].shape[1]])  # batch-major rows
            logits = tf.matmul(output, softmax_w) + softmax_b
            loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.reshape(y, [-1]), logits=logits)
            cost = tf.reduce_sum(loss) / B  # sequence_loss: mean over the batch, summed over the steps
        return cost, [(c, h) for c, h in layer_state]

    @tf.function
    def evaluate(x, y, state):
        return forward(x, y, state)

    @tf.function
    def step(x, y, state, learning_rate):
        with tf.GradientTape() as tape:
            cost, layer_state = forward(x, y, state)
        gradients = tape.gradient(cost, variables)
        clipped, norm = tf.clip_by_global_norm(gradients, args.max_grad_norm)
        for variable, gradient in zip(variables, clipped):
            if isinstance(gradient, tf.IndexedSlices):
                variable.scatter_sub(tf.IndexedSlices(learning_rate * gradient.values, gradient.indices))
            else:
                variable.assign_sub(learning_rate * gradient)
        return cost, norm, [(c, h) for c, h in layer_state]

    vocab = build_vocab(os.path.join(args.data, "ptb.train.txt"))
    train = [vocab[w] for w in read_words(os.path.join(args.data, "ptb.train.txt"))]
    if args.epoch:
        run_epoch(tf, step, evaluate, train, [vocab[w] for w in read_words(os.path.join(args.data, "ptb.valid.txt"))],
                  cells, B, T, args.learning_rate)
        return 0
    sizes = [kernel.shape[1] // 4 for kernel, _ in cells]
    state = [(tf.zeros([B, n]), tf.zeros([B, n])) for n in sizes]
    ours = read_trace(args.trace) if args.trace else []
    print(f"{'itr':>4s} {'cost tf':>11s} {'cost lesson':>11s} {'rel diff':>9s} {'norm tf':>9s} {'norm lesson':>11s} {'rel diff':>9s}  ppl so far (tf)")
    total, worst_cost, worst_norm = 0.0, 0.0, 0.0
    for index, (x, y) in enumerate(batches(train, B, T)):
        if index >= args.iterations:
            break
        cost, norm, state = step(tf.constant(x), tf.constant(y), state, tf.constant(args.learning_rate))
        cost, norm = float(cost), float(norm)
        total += cost
        line = f"{index + 1:4d} {cost:11.4f} "
        if index < len(ours):
            our_cost, our_norm = ours[index]
            dc, dn = abs(our_cost - cost) / abs(cost), abs(our_norm - norm) / abs(norm)
            worst_cost, worst_norm = max(worst_cost, dc), max(worst_norm, dn)
            line += f"{our_cost:11.4f} {dc:9.2e} {norm:9.4f} {our_norm:11.4f} {dn:9.2e}"
        else:
            line += f"{'':11s} {'':9s} {norm:9.4f}"
        print(line + f"  {math.exp(total / ((index + 1) * T)):.3f}")
    if ours:
        print(f"largest relative difference over {min(args.iterations, len(ours))} iterations: cost {worst_cost:.2e}, norm {worst_norm:.2e}")


if __name__ == "__main__":
    sys.exit(main())
