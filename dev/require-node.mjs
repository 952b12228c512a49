// Runs before `npm run dev`, `npm test`, `npm run build`, … (npm's pre-scripts): Gatehouse's tooling
// runs TypeScript directly, which needs Node 22.12 or later. Plain JavaScript, so any Node can say so.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Gatehouse needs Node.js 22.12 or later (this is ${process.version}).\n` +
      'Install Node 24 (see .nvmrc), e.g. `nvm install && nvm use`, or download it from https://nodejs.org/.',
  )
  process.exit(1)
}
