// The social supervisor's pages: the lead form (/submit) and 我的线索 with their progress.
import type { FC } from 'hono/jsx';
import { TOWNSHIPS, type Directory } from '../../domain/directory.ts';
import type { AssignmentRow } from './data.ts';
import { agencyName, type Clockwork } from './components.tsx';
import { statusLabel, when } from './format.ts';
import { Csrf, ErrorText, type Viewer } from './layout.tsx';

export interface SubmitValues { title: string; content: string; place: string; township: string; subject: string; evidence: string }
export const EMPTY_SUBMIT: SubmitValues = { title: '', content: '', place: '', township: '', subject: '', evidence: '' };

export const SubmitForm: FC<{ v: Viewer; values: SubmitValues; error?: string | undefined }> = ({ v, values, error }) => (
  <>
    <h1>报送问题线索</h1>
    <div class="card">
      <p class="hint">请如实填写执法中发现的问题。提交后会生成线索编号，可在“我的线索”中查看办理进度。</p>
      <ErrorText error={error} />
      <form method="post" action="/submit">
        <Csrf v={v} />
        <label for="s-title">标题（可不填，将取内容的第一句）</label>
        <input id="s-title" name="title" type="text" maxlength={500} value={values.title} />
        <label for="s-content">问题描述</label>
        <textarea id="s-content" name="content" required rows={6}>{values.content}</textarea>
        <label for="s-place">地点</label>
        <input id="s-place" name="place" type="text" maxlength={500} value={values.place} />
        <label for="s-township">乡镇（街道）</label>
        <select id="s-township" name="township">
          <option value="">请选择（可不选）</option>
          {TOWNSHIPS.map(([, name]) => <option value={name} selected={values.township === name}>{name}</option>)}
        </select>
        <label for="s-subject">被反映单位</label>
        <input id="s-subject" name="subject" type="text" maxlength={200} value={values.subject} />
        <label for="s-evidence">证据链接（每行一个，可不填）</label>
        <textarea id="s-evidence" name="evidence" aria-describedby="s-evidence-hint">{values.evidence}</textarea>
        <p id="s-evidence-hint" class="hint">照片、视频或文件的 http:// 或 https:// 地址。</p>
        <div class="actions"><button type="submit">提交线索</button></div>
      </form>
    </div>
  </>
);

export const Submitted: FC<{ leadId: string; duplicate: boolean }> = ({ leadId, duplicate }) => (
  <>
    <h1>已收到您的线索</h1>
    <div class="card" role="status">
      <p>线索编号：<strong class="leadno">{leadId}</strong></p>
      {duplicate ? <p>该问题此前已有人反映，您的报送已并入同一条线索，一并办理。</p> : <p>司法局将尽快研判并交办。</p>}
      <div class="actions"><a class="button" href={`/leads/${leadId}`}>查看办理进度</a><a href="/submit">继续报送</a></div>
    </div>
  </>
);

export const MyLeads: FC<{
  rows: { id: string; title: string; status: string; created_at: string }[]; assignments: AssignmentRow[]; dir: Directory; k: Clockwork;
}> = ({ rows, assignments, dir, k }) => (
  <>
    <h1>我的线索</h1>
    <p><a class="button" href="/submit">报送新线索</a></p>
    <ul class="list">
      {rows.map((r) => {
        const mine = assignments.filter((a) => a.lead_id === r.id);
        return (
          <li>
            <div class="title"><a href={`/leads/${r.id}`}>{r.title}</a></div>
            <div class="meta">
              <span class="leadno">{r.id}</span><span class="badge">{statusLabel(r.status)}</span>
              <span>报送于 {when(r.created_at, k.tz, k.now)}</span>
              {mine.map((a) => <span>承办：{agencyName(dir, a.agency)}</span>)}
            </div>
          </li>
        );
      })}
    </ul>
    {rows.length === 0 ? <p class="hint">您还没有报送过线索。</p> : null}
  </>
);
