// pulumi-language-nodejs: a Node.js language host for the Pulumi engine.
//
// Why this exists: the upstream host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
// is not served by the Go module proxy reachable from our build machines, and no other registry here ships it.
// This host implements the same gRPC LanguageRuntime contract on top of the real Pulumi SDK packages: it launches
// the Node SDK's own entry points (@pulumi/pulumi/cmd/run for programs, cmd/run-policy-pack for policy packs,
// cmd/run-plugin for plugins) exactly as the engine expects, and reports the plugins a program needs by reading
// node_modules. It is only used when no matching upstream CLI is on PATH (see scripts/toolchain.sh).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is stamped at build time with -ldflags "-X main.version=<pulumi version>".
var version = "0.0.0-dev"

// The Node SDK exits with this code after it has already shown the user an actionable error.
const exitAfterReportedError = 32

// engineCheckInterval is how often the host asks the engine whether it is still there. Upstream hosts ask every five
// minutes; a short interval matters because an engine killed with SIGKILL (or by the OOM killer, or with its CI
// job) cannot stop its plugins, and until the host notices, it and the program it runs live on as orphans.
const engineCheckInterval = time.Second

// childGrace bounds how long the host waits for the processes it started to be reaped once the engine is gone.
const childGrace = 5 * time.Second

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	mu            sync.Mutex
	engineAddress string
	tracing       string
	// life ends when the engine is gone; every process the host starts is killed then.
	life       context.Context
	engineGone context.CancelFunc
	watching   bool
	// children counts the processes the host started that have not been reaped yet.
	children sync.WaitGroup
}

func newHost(tracing string) *host {
	life, engineGone := context.WithCancel(context.Background())
	return &host{tracing: tracing, life: life, engineGone: engineGone}
}

// watchEngine starts polling the engine's health endpoint (once: the command-line address and the handshake's
// are the same engine). When the engine stops answering, life ends.
func (h *host) watchEngine(address string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if address != "" {
		h.engineAddress = address
	}
	if h.watching || address == "" {
		return nil
	}
	if err := rpcutil.Healthcheck(h.life, address, engineCheckInterval, h.engineGone); err != nil {
		return fmt.Errorf("cannot watch the engine at %s: %w", address, err)
	}
	h.watching = true
	return nil
}

func main() {
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint")
	flag.Parse()

	h := newHost(*tracing)
	if err := h.watchEngine(flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	if _, err := exec.LookPath("node"); err != nil {
		fmt.Fprintln(os.Stderr, "pulumi-language-nodejs: node was not found on PATH; install Node.js 20")
		os.Exit(1)
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	select {
	case err := <-handle.Done:
		if err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
			os.Exit(1)
		}
	case <-h.life.Done():
		// The engine is gone, so nobody reads our output any more: end the processes we started and exit.
		h.waitForChildren(childGrace)
		os.Exit(1)
	}
}

// waitForChildren waits until every process the host started has been reaped, or the timeout passes.
func (h *host) waitForChildren(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		h.children.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// command prepares a child process that ends with the request (ctx) or with the host's life, whichever ends first.
// Run it with runChild.
func (h *host) command(ctx context.Context, name string, args ...string) (*exec.Cmd, context.CancelFunc) {
	cmdCtx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(h.life, cancel)
	cmd := exec.CommandContext(cmdCtx, name, args...)
	cmd.WaitDelay = childGrace
	return cmd, func() {
		stop()
		cancel()
	}
}

// runChild runs a prepared command to its end, counting it among the host's children meanwhile.
func (h *host) runChild(cmd *exec.Cmd) error {
	h.children.Add(1)
	defer h.children.Done()
	return cmd.Run()
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	if err := h.watchEngine(req.GetEngineAddress()); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// resourcePackage is the part of a package.json that declares a Pulumi resource plugin.
type resourcePackage struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Pulumi  struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// requiredResourcePlugins lists the resource plugins declared by the packages installed for the program. It reads
// the package.json of each package where Node installs them (node_modules/<name>, node_modules/@<scope>/<name>, and
// the node_modules folders nested in packages) and never walks a package's own files: a walk of the whole
// node_modules tree (tens of thousands of files in this project) cost about 0.14 s of every pulumi command.
func requiredResourcePlugins(programDir string) []resourcePackage {
	root := findNodeModules(programDir)
	if root == "" {
		return nil
	}
	seen := map[string]resourcePackage{}
	visited := map[string]bool{}
	var visitModules func(modules string)
	visitPackage := func(dir string, linked bool) {
		// A package linked in (npm workspaces, file: dependencies) may be reached twice, or lead back to a parent.
		if linked {
			real, err := filepath.EvalSymlinks(dir)
			if err != nil || visited[real] {
				return
			}
			visited[real] = true
		}
		if pkg, ok := readResourcePackage(filepath.Join(dir, "package.json")); ok {
			seen[pkg.Pulumi.Name+"@"+pkg.Pulumi.Version] = pkg
		}
		visitModules(filepath.Join(dir, "node_modules"))
	}
	visitModules = func(modules string) {
		entries, err := os.ReadDir(modules)
		if err != nil {
			return // no node_modules here, or an unreadable one: it declares no plugins
		}
		for _, entry := range entries {
			name := entry.Name()
			if strings.HasPrefix(name, ".") { // .bin, .package-lock.json, .cache
				continue
			}
			if !strings.HasPrefix(name, "@") {
				visitPackage(filepath.Join(modules, name), entry.Type()&fs.ModeSymlink != 0)
				continue
			}
			scoped, _ := os.ReadDir(filepath.Join(modules, name))
			for _, entry := range scoped {
				visitPackage(filepath.Join(modules, name, entry.Name()), entry.Type()&fs.ModeSymlink != 0)
			}
		}
	}
	visitModules(root)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]resourcePackage, 0, len(keys))
	for _, k := range keys {
		out = append(out, seen[k])
	}
	return out
}

// readResourcePackage reads a package.json; ok when the package declares a Pulumi resource plugin.
func readResourcePackage(path string) (resourcePackage, bool) {
	var pkg resourcePackage
	data, err := os.ReadFile(path)
	// Most packages say nothing of Pulumi: skip parsing those.
	if err != nil || !bytes.Contains(data, []byte(`"pulumi"`)) || json.Unmarshal(data, &pkg) != nil ||
		!pkg.Pulumi.Resource {
		return pkg, false
	}
	if pkg.Pulumi.Name == "" {
		pkg.Pulumi.Name = strings.TrimPrefix(strings.TrimPrefix(pkg.Name, "@pulumi/"), "@")
	}
	if pkg.Pulumi.Version == "" {
		pkg.Pulumi.Version = pkg.Version
	}
	return pkg, true
}

func withV(v string) string {
	if v != "" && !strings.HasPrefix(v, "v") {
		return "v" + v
	}
	return v
}

func programDirectory(info *pulumirpc.ProgramInfo, fallback string) string {
	if info != nil && info.GetProgramDirectory() != "" {
		return info.GetProgramDirectory()
	}
	return fallback
}

func (h *host) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	resp := &pulumirpc.GetRequiredPluginsResponse{}
	for _, p := range requiredResourcePlugins(programDirectory(req.GetInfo(), req.GetProgram())) {
		resp.Plugins = append(resp.Plugins, &pulumirpc.PluginDependency{
			Name: p.Pulumi.Name, Kind: "resource", Version: withV(p.Pulumi.Version), Server: p.Pulumi.Server,
		})
	}
	return resp, nil
}

func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range requiredResourcePlugins(programDirectory(req.GetInfo(), "")) {
		resp.Packages = append(resp.Packages, &pulumirpc.PackageDependency{
			Name: p.Pulumi.Name, Kind: "resource", Version: withV(p.Pulumi.Version), Server: p.Pulumi.Server,
		})
	}
	return resp, nil
}

// findNodeModules walks up from dir to the nearest node_modules folder, as Node's resolver does.
func findNodeModules(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules")
		if st, err := os.Stat(candidate); err == nil && st.IsDir() {
			return candidate
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// sdkEntryPoint finds @pulumi/pulumi/cmd/<name> as seen from dir, so the program's own SDK copy runs it.
func sdkEntryPoint(dir, name string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", name)
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("@pulumi/pulumi is not installed for %s (looked for node_modules/@pulumi/pulumi/cmd/%s); run `npm ci` there", dir, name)
		}
	}
}

// runtimeEnv turns the project's runtime options (Pulumi.yaml runtime.options) into what the Node SDK reads.
func runtimeEnv(options *structpb.Struct) ([]string, []string) {
	opts := map[string]interface{}{}
	if options != nil {
		opts = options.AsMap()
	}
	typescript := true
	if v, ok := opts["typescript"].(bool); ok {
		typescript = v
	}
	env := []string{fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", typescript)}
	if v, ok := opts["tsconfig"].(string); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	var nodeArgs []string
	if v, ok := opts["nodeargs"].(string); ok && v != "" {
		nodeArgs = strings.Fields(v)
	}
	return env, nodeArgs
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDirectory(info, req.GetPwd())
	runPath, err := sdkEntryPoint(dir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// The Node SDK expects JSON objects here even when the stack has no config.
	configMap, secretKeyList := req.GetConfig(), req.GetConfigSecretKeys()
	if configMap == nil {
		configMap = map[string]string{}
	}
	if secretKeyList == nil {
		secretKeyList = []string{}
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, fmt.Errorf("serializing config: %w", err)
	}
	secretKeys, err := json.Marshal(secretKeyList)
	if err != nil {
		return nil, fmt.Errorf("serializing config secret keys: %w", err)
	}
	env, nodeArgs := runtimeEnv(info.GetOptions())
	env = append(env, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))

	args := append(nodeArgs, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", req.GetPwd())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", fmt.Sprint(req.GetParallel()))
	flagArg("tracing", h.tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	args = append(append(args, entry), req.GetArgs()...)

	cmd, done := h.command(ctx, "node", args...)
	defer done()
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := h.runChild(cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterReportedError {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// streamWriter forwards a child's output to the engine as RunPlugin stdout or stderr messages.
type streamWriter struct {
	mu     *sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
	if w.stderr {
		resp = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.server.Send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	dir := programDirectory(info, req.GetPwd())
	entry := "run-plugin"
	if req.GetKind() == "analyzer" {
		entry = "run-policy-pack"
	}
	runPath, err := sdkEntryPoint(dir, entry)
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	env, nodeArgs := runtimeEnv(info.GetOptions())
	args := append(nodeArgs, runPath)
	if req.GetKind() == "analyzer" {
		// run-policy-pack takes <engine-address> <policy-pack-dir>; the engine passes its address as the first arg.
		engineArgs := req.GetArgs()
		if len(engineArgs) == 0 {
			return status.Error(codes.InvalidArgument, "policy packs need the engine address as their first argument")
		}
		args = append(args, engineArgs[0], dir)
	} else {
		args = append(append(args, dir), req.GetArgs()...)
	}
	cmd, done := h.command(server.Context(), "node", args...)
	defer done()
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), req.GetEnv()...), env...)
	var mu sync.Mutex
	cmd.Stdout = streamWriter{mu: &mu, server: server}
	cmd.Stderr = streamWriter{mu: &mu, server: server, stderr: true}
	code := int32(0)
	if err := h.runChild(cmd); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return status.Errorf(codes.Internal, "could not run node for %s: %v", dir, err)
		}
		code = int32(exitErr.ExitCode())
	}
	mu.Lock()
	defer mu.Unlock()
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	dir := programDirectory(req.GetInfo(), req.GetDirectory())
	cmd, done := h.command(server.Context(), "npm", "install", "--no-audit", "--no-fund")
	defer done()
	cmd.Dir = dir
	var mu sync.Mutex
	send := func(stderr bool) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			chunk := append([]byte(nil), p...)
			resp := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
			if stderr {
				resp = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
			}
			mu.Lock()
			defer mu.Unlock()
			return len(p), server.Send(resp)
		})
	}
	cmd.Stdout, cmd.Stderr = send(false), send(true)
	if err := h.runChild(cmd); err != nil {
		return fmt.Errorf("npm install in %s failed: %w", dir, err)
	}
	return nil
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	nodePath, _ := exec.LookPath("node")
	return &pulumirpc.AboutResponse{Executable: nodePath, Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := programDirectory(req.GetInfo(), req.GetProgram())
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading package.json: %w", err)
	}
	var manifest struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return nil, fmt.Errorf("parsing package.json: %w", err)
	}
	names := make([]string, 0, len(manifest.Dependencies))
	for name := range manifest.Dependencies {
		names = append(names, name)
	}
	if req.GetTransitiveDependencies() {
		for name := range manifest.DevDependencies {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, name := range names {
		installed := struct {
			Version string `json:"version"`
		}{}
		if b, err := os.ReadFile(filepath.Join(dir, "node_modules", name, "package.json")); err == nil {
			_ = json.Unmarshal(b, &installed)
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: name, Version: installed.Version})
	}
	return resp, nil
}
