package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The load generator shares two CPU cores with the server it measures and with Redis,
// so its own HTTP costs are part of what limits the run. It therefore speaks plain
// HTTP/1.1 with keep-alive itself, one goroutine per connection and no per-request
// header maps, on both sides: the client that posts webhooks and the fake platform
// APIs. It understands exactly what `faro serve` and Go's net/http send and answer
// (Content-Length bodies, chunked answers), nothing more.

// rawConn is one keep-alive client connection.
type rawConn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
}

func (rc *rawConn) dial() error {
	c, err := net.DialTimeout("tcp", rc.addr, 5*time.Second)
	if err != nil {
		return err
	}
	rc.c, rc.r, rc.w = c, bufio.NewReaderSize(c, 16<<10), bufio.NewWriterSize(c, 16<<10)
	return nil
}

func (rc *rawConn) close() {
	if rc.c != nil {
		_ = rc.c.Close()
		rc.c = nil
	}
}

// post sends one request and returns the answer's status. headers are "Name: value"
// lines. A broken connection is redialled once for a request that was not answered.
func (rc *rawConn) post(path string, headers []string, body []byte) (int, error) {
	for attempt := 0; ; attempt++ {
		if rc.c == nil {
			if err := rc.dial(); err != nil {
				return 0, err
			}
		}
		status, err := rc.roundTrip(path, headers, body)
		if err == nil {
			return status, nil
		}
		rc.close()
		if attempt == 1 || !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, err
		}
	}
}

func (rc *rawConn) roundTrip(path string, headers []string, body []byte) (int, error) {
	_ = rc.c.SetDeadline(time.Now().Add(30 * time.Second))
	w := rc.w
	w.WriteString("POST ")
	w.WriteString(path)
	w.WriteString(" HTTP/1.1\r\nHost: ")
	w.WriteString(rc.addr)
	w.WriteString("\r\n")
	for _, h := range headers {
		w.WriteString(h)
		w.WriteString("\r\n")
	}
	w.WriteString("Content-Length: ")
	w.WriteString(strconv.Itoa(len(body)))
	w.WriteString("\r\n\r\n")
	w.Write(body)
	if err := w.Flush(); err != nil {
		return 0, err
	}
	line, err := rc.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, fmt.Errorf("bad status line")
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("bad status line")
	}
	length, chunked, closeConn, err := readHeaders(rc.r)
	if err != nil {
		return 0, err
	}
	if err := discardBody(rc.r, length, chunked); err != nil {
		return 0, err
	}
	if closeConn {
		rc.close()
	}
	return status, nil
}

// readHeaders reads header lines up to the blank line and returns the body framing.
func readHeaders(r *bufio.Reader) (length int, chunked, closeConn bool, err error) {
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, false, false, err
		}
		if len(line) <= 2 {
			return length, chunked, closeConn, nil
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, err = strconv.Atoi(string(value))
			if err != nil {
				return 0, false, false, fmt.Errorf("bad content-length")
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			closeConn = bytes.EqualFold(value, []byte("close"))
		}
	}
}

func discardBody(r *bufio.Reader, length int, chunked bool) error {
	if !chunked {
		_, err := r.Discard(length)
		return err
	}
	_, err := readChunked(r, io.Discard)
	return err
}

// readChunked copies a chunked body to w.
func readChunked(r *bufio.Reader, w io.Writer) (int, error) {
	total := 0
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return total, err
		}
		size, err := strconv.ParseInt(strings.TrimSpace(strings.SplitN(string(line), ";", 2)[0]), 16, 64)
		if err != nil {
			return total, fmt.Errorf("bad chunk size")
		}
		if size == 0 {
			_, err := r.ReadSlice('\n') // the final CRLF (no trailers from Go)
			return total, err
		}
		n, err := io.CopyN(w, r, size)
		total += int(n)
		if err != nil {
			return total, err
		}
		if _, err := r.Discard(2); err != nil {
			return total, err
		}
	}
}

// rawServer is a minimal keep-alive HTTP/1.1 server for the fake platform APIs.
type rawServer struct {
	ln      net.Listener
	handle  func(path string, body []byte) (status int, answer []byte)
	mu      sync.Mutex
	conns   map[net.Conn]bool
	closing bool
}

func serveRaw(ln net.Listener, handle func(path string, body []byte) (int, []byte)) *rawServer {
	s := &rawServer{ln: ln, handle: handle, conns: map[net.Conn]bool{}}
	go s.accept()
	return s
}

func (s *rawServer) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns[c] = true
		s.mu.Unlock()
		go s.serveConn(c)
	}
}

func (s *rawServer) close() {
	s.mu.Lock()
	s.closing = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	_ = s.ln.Close()
}

func (s *rawServer) serveConn(c net.Conn) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		_ = c.Close()
	}()
	r, w := bufio.NewReaderSize(c, 16<<10), bufio.NewWriterSize(c, 4<<10)
	var body bytes.Buffer
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		f := strings.Fields(string(line))
		if len(f) != 3 {
			return
		}
		path := f[1]
		length, chunked, closeConn, err := readHeaders(r)
		if err != nil {
			return
		}
		body.Reset()
		if chunked {
			_, err = readChunked(r, &body)
		} else {
			_, err = io.CopyN(&body, r, int64(length))
		}
		if err != nil {
			return
		}
		status, answer := s.handle(path, body.Bytes())
		fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", status, statusText(status), len(answer))
		w.Write(answer)
		if w.Flush() != nil || closeConn {
			return
		}
	}
}

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 201:
		return "Created"
	default:
		return "Error"
	}
}
