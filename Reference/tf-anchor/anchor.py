"""TensorFlow + XLA training speed on the tutorial's model, for `lesson bench` to be set against.

The engine issue's anchor: a Keras model of the same shape (embedding 200, LSTM 256 and 128,
softmax over 10,000 words, batch 60 x 20 steps, state carried between batches), SGD with the
tutorial's global-norm clipping at 5, one training step compiled with XLA (jit_compile=True).
Prints words per second over --iterations steps after --warmup steps, as one JSON line.

Run it from a throwaway virtual environment that has tensorflow (CPU); see README.md.
"""
import argparse
import json
import os
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/ptb"))
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--precision", choices=["float32", "bf16"], default="float32",
                        help="bf16: Keras's mixed_bfloat16 policy (bf16 compute, float32 weights)")
    args = parser.parse_args()

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    if args.precision == "bf16":
        tf.keras.mixed_precision.set_global_policy("mixed_bfloat16")

    batch, steps, vocabulary = 60, 20, 10000
    words = open(os.path.join(args.data, "ptb.train.txt")).read().replace("\n", "<eos>").split()
    ids = {w: i for i, w in enumerate(sorted(set(words)))}
    data = np.array([ids[w] for w in words], dtype=np.int32)
    length = len(data) // batch
    grid = data[: batch * length].reshape(batch, length)

    init = tf.keras.initializers.RandomUniform(-0.1, 0.1, seed=1)
    embedding = tf.keras.layers.Embedding(vocabulary, 200, embeddings_initializer=init)
    lstm1 = tf.keras.layers.LSTM(256, return_sequences=True, return_state=True, kernel_initializer=init,
                                 recurrent_initializer=init, unit_forget_bias=False)
    lstm2 = tf.keras.layers.LSTM(128, return_sequences=True, return_state=True, kernel_initializer=init,
                                 recurrent_initializer=init, unit_forget_bias=False)
    dense = tf.keras.layers.Dense(vocabulary, kernel_initializer=init, dtype="float32" if args.precision == "float32" else None)
    x0 = tf.zeros([batch, steps], tf.int32)
    zero1 = [tf.zeros([batch, 256])] * 2
    zero2 = [tf.zeros([batch, 128])] * 2

    def forward(x, s1, s2):
        h, a1, b1 = lstm1(embedding(x), initial_state=s1)
        h, a2, b2 = lstm2(h, initial_state=s2)
        return tf.cast(dense(h), tf.float32), [a1, b1], [a2, b2]

    forward(x0, zero1, zero2)
    variables = embedding.trainable_variables + lstm1.trainable_variables + lstm2.trainable_variables + dense.trainable_variables
    optimizer = tf.keras.optimizers.SGD(learning_rate=1.0, global_clipnorm=5.0)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(jit_compile=True)
    def train_step(x, y, s1, s2):
        with tf.GradientTape() as tape:
            logits, n1, n2 = forward(x, s1, s2)
            loss = loss_fn(y, logits) * steps
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        return loss, n1, n2

    s1, s2 = zero1, zero2
    position = 0

    def run(count):
        nonlocal s1, s2, position
        for _ in range(count):
            if position + steps + 1 > length:
                position, s1, s2 = 0, zero1, zero2
            x = grid[:, position:position + steps]
            y = grid[:, position + 1:position + steps + 1]
            loss, s1, s2 = train_step(x, y, s1, s2)
            position += steps
        float(loss)  # wait for the last step

    run(args.warmup)
    start = time.perf_counter()
    run(args.iterations)
    seconds = time.perf_counter() - start
    print(json.dumps({"framework": "tensorflow " + tf.__version__ + " + XLA", "precision": args.precision, "words_per_second": round(args.iterations * batch * steps / seconds, 1),
                      "iterations": args.iterations, "seconds": round(seconds, 3), "threads": args.threads}))


if __name__ == "__main__":
    main()
