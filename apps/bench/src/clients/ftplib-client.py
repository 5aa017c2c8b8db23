"""Python's ftplib as a benchmark client (Debian's /usr/bin/python3).

    python3 ftplib-client.py '<json task>'

op "download"/"upload": one control session, each file on its own data connection; prints
{"seconds": s, "cpu": s, "bytes": n} (time covers connect + login + transfers + QUIT).
op "list": one session, `repeat` timed listings of `path` with `verb` (LIST or MLSD), raw bytes;
prints {"listings": [seconds, ...], "bytes": n}.
"""
import ftplib, json, os, ssl, sys, time

task = json.loads(sys.argv[1])
nbytes = 0


def count(chunk):
    global nbytes
    nbytes += len(chunk)


def session():
    if task.get("tls"):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ftp = ftplib.FTP_TLS(context=ctx, timeout=120)
        ftp.connect(task["host"], task["port"])
        ftp.login(task["user"], task["password"])
        ftp.prot_p()
    else:
        ftp = ftplib.FTP(timeout=120)
        ftp.connect(task["host"], task["port"])
        ftp.login(task["user"], task["password"])
    return ftp


cpu0 = time.process_time()
start = time.perf_counter()
ftp = session()
if task["op"] == "list":
    times = []
    for _ in range(task["repeat"]):
        t = time.perf_counter()
        ftp.retrbinary(f'{task["verb"]} {task["path"]}', count, blocksize=1 << 16)
        times.append(time.perf_counter() - t)
    ftp.quit()
    print(json.dumps({"listings": times, "bytes": nbytes}))
    sys.exit(0)
for name in task["files"]:
    if task["op"] == "download":
        ftp.retrbinary(f"RETR {name}", count, blocksize=1 << 20)
    else:
        with open(name, "rb") as f:
            ftp.storbinary(f"STOR {os.path.basename(name)}{task.get('uploadSuffix', '')}", f, blocksize=1 << 20)
            nbytes += f.tell()
ftp.quit()
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu0, "bytes": nbytes}))
