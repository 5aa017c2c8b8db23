"""The native end of the bare loopback pipe (Debian's /usr/bin/python3; the kernel and OpenSSL do
the work, Python only loops over 1 MiB reads or calls sendfile).

    python3 pipe.py recv '{"port": N, "secure": bool}'
        connect, read to EOF into one reused buffer; prints {"seconds", "cpu", "bytes"}
        (what curl -o /dev/null does on the far side of an FTP server's data connection)
    python3 pipe.py send '{"file": path, "tls": {"cert", "key"} | null}'
        listen on 127.0.0.1:0, print {"port": N}, send the file to the first connection
        (sendfile for plain, as vsftpd and Pure-FTPd do; 1 MiB SSL writes for TLS), print {"cpu"}
"""
import json, os, socket, ssl, sys, time

role, config = sys.argv[1], json.loads(sys.argv[2])
CIPHERS = "ECDHE-RSA-AES128-GCM-SHA256"

if role == "recv":
    cpu0, start = time.process_time(), time.perf_counter()
    sock = socket.create_connection(("127.0.0.1", config["port"]))
    if config.get("secure"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        # Python cannot choose TLS 1.3 suites; TLS 1.2 pins AES-128-GCM like every other FTPS figure.
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers(CIPHERS)
        sock = ctx.wrap_socket(sock)
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = 0
    while True:
        n = sock.recv_into(view)
        if n == 0:
            break
        total += n
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu0, "bytes": total}), flush=True)
else:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    print(json.dumps({"port": server.getsockname()[1]}), flush=True)
    server.settimeout(600)
    conn, _ = server.accept()
    cpu0 = time.process_time()
    with open(config["file"], "rb") as f:
        if config.get("tls"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(config["tls"]["cert"], config["tls"]["key"])
            ctx.set_ciphers(CIPHERS)
            conn = ctx.wrap_socket(conn, server_side=True)
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                conn.sendall(chunk)
        else:
            conn.sendfile(f)
    conn.close()
    print(json.dumps({"cpu": time.process_time() - cpu0}), flush=True)
