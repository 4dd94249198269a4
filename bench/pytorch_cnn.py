#!/usr/bin/python3
"""The book's chapter 8 CNN in PyTorch: Conv2D(32, 3, relu, same) -> MaxPool(2) -> Conv2D(64, 3, relu,
same) -> MaxPool(2) -> Flatten -> Dense(100, relu) -> Dropout(0.4) -> Dense(10), Adam, on the first
48,000 Fashion-MNIST training images. Tries 1 and 2 threads (PyTorch's best setting on this machine
counts) and prints one JSON object: training samples/s of the best epoch per thread count and the best.
Usage: pytorch_cnn.py BATCH EPOCHS [LIMIT]"""
import gzip, json, sys, time
import numpy as np, torch

d = "/usr/share/datasets/fashion-mnist/"
X = np.frombuffer(gzip.open(d + "train-images-idx3-ubyte.gz").read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
Y = np.frombuffer(gzip.open(d + "train-labels-idx1-ubyte.gz").read(), np.uint8, offset=8).astype(np.int64)
bs, epochs = int(sys.argv[1]), int(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 48000
Xt, Yt = torch.from_numpy(X[:n].copy()), torch.from_numpy(Y[:n].copy())


def model():
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 100), nn.ReLU(), nn.Dropout(0.4), nn.Linear(100, 10))


result = {"batch": bs, "epochs": epochs, "samples": n, "threads": {}}
for threads in (1, 2):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    m = model()
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    lf = torch.nn.CrossEntropyLoss()
    best = 0.0
    for ep in range(epochs):
        t = time.time()
        perm = torch.randperm(n)
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            opt.zero_grad()
            lf(m(Xt[idx]), Yt[idx]).backward()
            opt.step()
        best = max(best, n / (time.time() - t))
    result["threads"][str(threads)] = round(best)
result["samplesPerSecond"] = max(result["threads"].values())
print(json.dumps(result))
