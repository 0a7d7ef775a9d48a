<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en">
<context>
    <name>AddClipDialog</name>
    <message>
        <source>Add clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Visit 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pseudonymous code, e.g. FAM-017</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AssignTab</name>
    <message>
        <source> · blind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blind (neither sees the other&apos;s coding until both submit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coders, comma-separated: Ann, Ben</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} clip(s) assigned.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hidden: blind coding</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditNames</name>
    <message>
        <source>add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change modifiers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>check out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>encrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate a grid row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read the video&apos;s content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reliability criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>relink</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reopen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reorder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stop sharing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workspace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditTrail</name>
    <message>
        <source>Open a workspace first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditWindow</name>
    <message>
        <source>&amp;Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the audit trail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries match these filters. Widen them: Everyone, Every case, Every kind, no days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No entries yet: the trail grows as people work in the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to show: see the message above.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the audit trail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest {0} entries; narrow the filters to see older ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To the day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written to {0} (entries: {1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Backups</name>
    <message>
        <source>Checking the workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>daily</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the state before a merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the state before a restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the state before decrypting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the state before encrypting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when the workspace opened</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupsDialog</name>
    <message>
        <source>A team database is backed up by its server, not by VFA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backups of {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the workspace back as it was on {0}? Its current state is kept as a backup first, so nothing is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA copies the workspace into the backups folder beside it when it opens (if it changed) and once a day while it is open. Restoring keeps the current state as a backup first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Chart</name>
    <message>
        <source>No clips coded by both yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckDialog</name>
    <message>
        <source>Check workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: all is well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} problem(s) found.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CipherDialog</name>
    <message>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Decrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Encrypt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrypt workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrypt {0} and its backups: enter its passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypt workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypt {0} and its backups with a passphrase. VFA asks for it whenever the workspace is opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Once decrypted, the workspace and its backups are plain files: anyone who has a copy can read them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase cannot be recovered: if it is lost, nobody can open the workspace or its backups again. Keep it somewhere safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase has {0} characters; give one of at least {1} (a few unrelated words are easy to type and hard to guess).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ: type the same one twice.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClipBrowser</name>
    <message>
        <source>Case / session / clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases, sessions and clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClipsPane</name>
    <message>
        <source>Add clips…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clips in this workspace yet. Add the video files of a case: they stay where they are, VFA keeps only your coding.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodersTab</name>
    <message>
        <source>Against</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the coder and the reference coder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Over the last clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save criterion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statistic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reference (master) coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: {1} ({2} {3} over the last {4} clips; criterion {5})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodingForm</name>
    <message>
        <source>Choose a scheme to start coding: its items, grid or event keys show here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodingPanel</name>
    <message>
        <source>Assigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a scheme…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coding scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started · the first rating or event begins the coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a clip to code it: choose one in the list of clips.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen a submitted coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the item to link the moment to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted (locked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The coding scheme: its form shows below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why does this coding need to change? (kept in the audit trail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>evidence for &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grid row &quot;{0}&quot; of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note on &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rating of &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} unrated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} · coder {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Consent for {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Given on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holds until</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last recorded by {0}. A change is recorded; the history is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The family agreed that this film may be used for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last day it holds</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsentNote</name>
    <message>
        <source>The family&apos;s consent for this clip ended on {0}: nothing of it may leave VFA until their consent is recorded again (Feedback → Consent for this clip…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The family&apos;s consent for this clip holds until {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The family&apos;s consent for this clip holds until {0}: today is its last day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The family&apos;s consent for this clip holds until {0}: tomorrow is its last day.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The family&apos;s consent for this clip holds until {0}: {1} days left.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContentHasher</name>
    <message>
        <source>Reading clip content… %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA records a hash of every byte of new clips, to tell later if they change</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisagreementView</name>
    <message>
        <source> (not stopped: runs to the clip&apos;s end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disagreements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>different codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventCoding</name>
    <message>
        <source>Choose a scheme in the coding panel first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No event at the playhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a clip before coding events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coding of &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deletion of &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>modifiers of &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trim of &quot;{0}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}) is not a hotkey now: {1} is the window&apos;s key for “{2}” (Settings).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} has no modifiers in this scheme</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventsTab</name>
    <message>
        <source> (blind runs open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing events…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Onset tolerance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time units of {0} ms and events: agreement {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time units of {0} ms: agreement {1}, κ {2}.  Events paired by {3}: agreement {4}, κ {5} (κmax {6}); {7} matched, {8} + {9} unmatched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by 60% overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>onsets within {0} ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlap ≥ {0:.0%}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>A handout of the stills and captions (PDF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BORIS project (.boris)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burn the captions into the video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Case {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coding of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ELAN (.eaf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each moment becomes NN.mp4 and its still NN.png; the captions go into reel.srt and, unless burned in, into each clip as subtitles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {0} rows of {1} run(s) to {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left out of the export (blind coding):
{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the file if it exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SDIS for GSEQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SRT subtitles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tidy CSV (R, SPSS, Excel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA JSON (the workspace, restorable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this VFA has no writer for it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeedbackSession</name>
    <message>
        <source>Consent recorded: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent recorded: {0}, until {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the reel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback script</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback script written: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a clip first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reel exported for {0}: {1} files in {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the feedback script…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Add clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Adding clips…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All {0} clip files are in place and unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking clip files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder the clips were moved to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for moved clips…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open or create a workspace before adding clips.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the demo workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relinked {0} clip(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA workspace (*.vfa)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA workspace (*.vfa);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video files (*.mp4 *.mov *.m4v *.mkv *.avi *.mts *.m2ts *.webm *.3gp *.mpg);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} clip(s) added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was not opened: it is encrypted, and no passphrase was given.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>C&amp;hoose…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GoToDialog</name>
    <message>
        <source>1:02.5 · 62.5 s · 62500 ms · f1500</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time or frame</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridForm</name>
    <message>
        <source>Each row gives {0} points in all to the {1} scales: type them in (Tab moves across); a blank cell counts as 0 once the row adds up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GridTable</name>
    <message>
        <source>Points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This grid has no &quot;not observed&quot;: each row gives its {0} points to the {1} scales (a blank cell counts as 0).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} of {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} points is more than a row gives: each row gives {1} points in all to the {2} scales.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source> (new)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new scheme from the file&apos;s codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All observations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file to see what it holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coding files (*.eaf *.boris *.boris.gz *.opf *.otx *.otb *.csv *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ELAN, BORIS, Datavyu, Observer XT, VFA CSV or JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported {0} events (batch {1}); Edit → Undo removes them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out codes the scheme does not know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Media folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused — {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The clip the file names (by name or fingerprint)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file cannot be imported:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the file holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder to look for the file&apos;s media in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the coder the file names, else “imported”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} events to import ({1} points, {2} states) with scheme {3}
{4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{0}” → clip {1} ({2}), coder {3}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ItemDetails</name>
    <message>
        <source>A note on this item (F2 from the list)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description of the item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the licensed manual; your licensed copy of the scheme, put in VFA&apos;s schemes folder, can hold it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys: 0–{0} points; Delete clears, Enter moves to the next row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys: {0}; Delete clears, Enter moves on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note on the item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scheme gives no description.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA&apos;s schemes folder: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} linked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyTable</name>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Freeze on the still (again to play)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the presentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause or play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate an item scored {0}–{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate the current item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The caption, or the line spoken for the child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While presenting the reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a state: the key starts it, again stops it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left out: the window&apos;s key for “{0}” (Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: event keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the rating list, while it has the focus</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Feedback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reliability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About VFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved frame {0} as {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving still…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA {0} — Video Feedback Annotator
GPL-3.0-or-later. Makes no network connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace upgraded; the previous version was kept as {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — {1}×{2} VFR, {3:g} fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} — {1}×{2}, {3:g} fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: open read-only ({1}). You can look, but nothing can be changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>&amp;Merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename incoming cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Same family as here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Workspace to merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A coding changed on both sides since the workspaces parted: the merge would be refused. Decide with its coder which to keep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A coding is blind coding hidden from you: it is merged, not counted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on both sides — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the workspace to merge into this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;nflicts and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts and notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything in {0} is already here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAM-001, … (the same family filmed elsewhere)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAM-001=FAM-001-B, … (another family, same code)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merging {0} would do this:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merging {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reliability criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename incoming cases:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename incoming cases: “{0}” is not CODE=NEW-CODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schemes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The state before is kept as {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This workspace cannot be merged:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA workspace (*.vfa);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the merge brings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} codings are blind coding hidden from you: they are merged, not counted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} codings changed on both sides since the workspaces parted: the merge would be refused. Decide with their coders which to keep.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was not merged: it is encrypted, and no passphrase was given.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModifiersDialog</name>
    <message>
        <source>Modifiers of {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MomentsPanel</name>
    <message>
        <source>Caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For feedback (in the session&apos;s reel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the parent&apos;s words: &apos;You waited, and…&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the frame on screen the moment&apos;s still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No moments yet. Choose the VIG or VIPP-SD scheme in Coding and press a tag&apos;s key while the clip plays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepared comment for the visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speaking for the child: &apos;I like it when…&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Still: this frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>child line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0:.1f} s · frames {1}–{2} · still at frame {3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} of &quot;{1}&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“for feedback”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>(pooled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(total)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa (unweighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exact agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleiss κ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha (interval)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha (nominal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha (ordinal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pearson r against the reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weighted kappa, linear weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weighted kappa, quadratic weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Within-one agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>r vs reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>α interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>α nominal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>α ordinal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>κ linear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>κ quadratic</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpeningWindow</name>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA could not open: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video Feedback Annotator</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypted workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the passphrase, or cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase (or not a VFA workspace). Try again, or cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is encrypted. Enter its passphrase to open it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>People</name>
    <message>
        <source>add and change clips and cases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assign clips and set reliability criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code clips</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export and import coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export for feedback to the family</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manage people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>read the audit trail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>record consent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reopen a submitted coding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>see agreement across coders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag moments and build reels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>therapist</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <source>&amp;Add person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Role of the chosen person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Set role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A personal workspace: everyone may do everything. Add an admin to make roles count (then only an admin manages people).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a person in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New &amp;person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;eople</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role of the new person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles are checked: only an admin adds people and changes roles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>their name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is one of the people now ({1}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}&apos;s role is {1} now.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PersonGate</name>
    <message>
        <source>Roles are advisory in a workspace file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles are advisory in a workspace file: anyone can say who they are; a team workspace on PostgreSQL enforces them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA — {0} — {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA — {0} — {1} (not one of its people)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA — {0} — {1} ({2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} ({1}) may not {2}. Roles that may: {3}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not one of this workspace&apos;s people: an admin adds people (File → People…); File → Who are you… says who you are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was not opened: choose who you are to work in it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlayerView</name>
    <message>
        <source>Loop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loop the selected range (Shift+drag on the timeline, or I and O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clip open. Choose one in the list of clips, or add clips (File → Add clips…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback rate ([ slower, ] faster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a range to loop first: Shift+drag on the timeline, or I and O.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresentationWindow</name>
    <message>
        <source>Presentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This reel has no moments yet.

Press Esc to leave presentation mode.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressChart</name>
    <message>
        <source> · not submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No scheme chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No {0} scores for {1} yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cycle {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not coded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} of case {1} ({2}), per session and coder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart as {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress over time — {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted codings only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} has no codings with a score to follow yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} image (*{1})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PurposeField</name>
    <message>
        <source>{0} (not covered by the consent)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuickStartWindow</name>
    <message>
        <source>Coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatingTable</name>
    <message>
        <source>&quot;{0}&quot; has no &quot;not observed&quot; code: press {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, or {0} for {1} ({2})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not a rating of &quot;{1}&quot;: press {2}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatingsTab</name>
    <message>
        <source> {0} clips held back until their blind runs are submitted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement by item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing agreement…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf);;CSV (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reliability report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report written: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reference coder (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} double-coded clips; coders: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReelPanel</name>
    <message>
        <source>Consent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback script…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark moments &apos;For feedback&apos; in Moments to build this session&apos;s reel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reel · {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reel&apos;s moments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visit&apos;s theme (VIPP-SD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reel order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>visit theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}. {1}  ({2:.1f} s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReliabilityWindow</name>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coders over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reliability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaveDialogs</name>
    <message>
        <source>Replace the file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the files?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} already exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} already holds {1}. Replace them?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>A change takes effect when VFA restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (VLC when available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Coder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt Multimedia</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset shortcuts to defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut for {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VLC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video player</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your name, as it appears on codings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is given to both “{1}” and “{2}”; change one of them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsWindow</name>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: a word or a key (Ctrl+E, F5, …)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StaleEdit</name>
    <message>
        <source>Someone else changed {0} after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone else deleted {0} after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The window shows it as it is now: look, then make your change again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You changed {0} at {1} elsewhere (in another window or with a command), after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You deleted {0} at {1} elsewhere (in another window or with a command), after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rating of “{0}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the row “{0}” of {1} in “{2}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this rating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this session&apos;s reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what you changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your change was not stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your undo or redo was not made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} changed {1} at {2}, after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} deleted {1} at {2}, after this window showed it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StillDialog</name>
    <message>
        <source>A still of a family&apos;s video leaves VFA like a reel: for a purpose their consent covers, recorded in the audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;JPEG image (*.jpg *.jpeg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save still</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Infant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No clip open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Filmstrip %p%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop building</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop building the filmstrip and waveform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Redid {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undid {0} ({1})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>import {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoCanvas</name>
    <message>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <source>Create a new empty workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video Feedback Annotator: review parent–infant clips, tag strength moments, code with structured schemes and check reliability.

Video files stay where they are; VFA keeps your annotations in a workspace and makes no network connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to VFA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhoAreYouDialog</name>
    <message>
        <source>&amp;Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace “{0}” has people with roles. Choose yourself: what you may do in it follows your role.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who are you?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name, as your coding in the workspace “{0}” is signed. It is remembered for this workspace.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkspaceCipher</name>
    <message>
        <source>A team database is kept safe by its server (its disks and its connections), not encrypted by VFA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrypted {0} and {1} backup(s): they are plain files again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decrypting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypt the workspace file and its backups with a passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypted {0} and {1} backup(s). Keep the passphrase safe: without it nobody can open the workspace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encrypting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Left as they were: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store the workspace file and its backups unencrypted again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace is encrypted already. To change its passphrase, decrypt it, then encrypt it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The workspace is not encrypted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA is backing up the workspace; try again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VFA is still reading the content of new clips; try again when it has finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong passphrase. Try again, or cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is open read-only ({1}): it cannot be changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was not decrypted: stopped; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} was not encrypted: stopped; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkspaceSafety</name>
    <message>
        <source>Restoring the backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace backed up (File → Backups… lists the backups)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_PurposeDialog</name>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <source>&amp;About VFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add clips…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Audit trail…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backups…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check clip files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Consent for this clip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export the reel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go to time or frame…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import coding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Loop the range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Merge workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Present the reel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Progress over time for this case…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quick start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reliability…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Relink missing clips…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Who are you…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back five seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back one second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check &amp;workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decryp&amp;t workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the event at the playhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport coding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encr&amp;ypt workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feedback &amp;script (PDF)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward five seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward one second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Link the moment at the playhead to the item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loop ends here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loop starts here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make this frame the moment&apos;s still</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modifiers of the event at the playhead…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;eople…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;still…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuttle backwards (J)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuttle forwards (L)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shuttle stop (K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom timeline in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom timeline out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
